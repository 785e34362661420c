import GatewayAuditCore

/// One stored snapshot (or tombstone) of a gateway: the read model of the history view.
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
    public let gateway: CustomerGateway?
    /// SHA-256 of the canonical content, nil for a tombstone.
    public let contentSHA256: String?
    /// The snapshot's hash-chain value.
    public let chainSHA256: String
    /// The account, cloud, region and project of the gateway.
    public var scope = ScopeKey(projectID: "")
}
