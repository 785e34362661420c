import GatewayAuditCore

/// One known resource: its state now and how much history there is.
public struct GatewaySummary: Sendable, Hashable {
    /// The gateway.
    public let gatewayID: GatewayID
    /// The latest snapshot's state; nil when every fetch of it failed.
    public let state: SnapshotState?
    /// The latest known name.
    public let name: String?
    /// First observation.
    public let firstSeen: Instant?
    /// Latest observation.
    public let lastSeen: Instant?
    /// Stored snapshots (tombstones included).
    public let snapshotCount: Int
    /// Observations that failed.
    public let failedCount: Int
    /// The kind of the resource.
    public var kind: ResourceKind = .customerGateway
    /// The latest operational `status` (VPN gateways and connections), nil when none was observed.
    public var status: String? = nil
    /// For a customer gateway: the connections that use it now (present, latest snapshot naming it).
    public var connections: Int = 0
    /// The scope of the last run that observed it.
    public var scope = ScopeKey(projectID: "")
}
