import GatewayAuditCore

/// One stored snapshot (or tombstone) of a resource: the read model of the history view.
public struct HistoryRow: Sendable, Hashable {
    /// The gateway.
    public let gatewayID: GatewayID
    /// 1 for the gateway's first snapshot, then consecutive.
    public let seq: Int64
    /// Present, or gone (a tombstone).
    public let state: SnapshotState
    /// The first observation that saw this state.
    public let firstSeen: Instant
    /// The last observation that saw this state.
    public let lastSeen: Instant
    /// The run of `firstSeen`.
    public let firstRun: Int64
    /// The run of `lastSeen`.
    public let lastRun: Int64
    /// The content, nil for a tombstone.
    public let resource: Resource?
    /// The content typed as a customer gateway (nil for a tombstone or another kind).
    public let gateway: CustomerGateway?
    /// The kind of the resource.
    public let kind: ResourceKind
    /// SHA-256 of the canonical content, nil for a tombstone.
    public let contentSHA256: String?
    /// The snapshot's hash-chain value.
    public let chainSHA256: String

    init(
        gatewayID: GatewayID, kind: ResourceKind, seq: Int64, state: SnapshotState, firstSeen: Instant,
        lastSeen: Instant, firstRun: Int64, lastRun: Int64, resource: Resource?, contentSHA256: String?,
        chainSHA256: String, scope: ScopeKey = ScopeKey(projectID: "")
    ) {
        self.scope = scope
        self.gatewayID = gatewayID
        self.kind = kind
        self.seq = seq
        self.state = state
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.firstRun = firstRun
        self.lastRun = lastRun
        self.resource = resource
        gateway = resource.flatMap { $0.kind == .customerGateway ? CustomerGateway(resource: $0) : nil }
        self.contentSHA256 = contentSHA256
        self.chainSHA256 = chainSHA256
    }
    /// The account, cloud, region and project of the gateway.
    public var scope = ScopeKey(projectID: "")
}
