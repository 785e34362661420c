import GatewayAuditCore

/// One window of a resource's operational `status`: from the first to the last observation that saw it.
public struct StatusRow: Sendable, Hashable {
    /// The resource.
    public let gatewayID: GatewayID
    /// Its kind.
    public let kind: ResourceKind
    /// 1 for the resource's first window, then consecutive.
    public let seq: Int64
    /// The status as sent (`ACTIVE`, `DOWN`…).
    public let status: String
    /// The first observation that saw it.
    public let firstSeen: Instant
    /// The last observation that saw it.
    public let lastSeen: Instant
    /// The run of `firstSeen`.
    public let firstRun: Int64
    /// The run of `lastSeen`.
    public let lastRun: Int64
    /// The account, cloud, region and project of the resource.
    public var scope = ScopeKey(projectID: "")
}

/// A window in which one resource referred to another: a connection's snapshot that named a customer
/// gateway (or VPN gateway), with the connection's own identity.
public struct LinkedSnapshot: Sendable, Hashable {
    /// The referring resource (a connection).
    public let gatewayID: GatewayID
    /// Its kind.
    public let kind: ResourceKind
    /// Its name in that snapshot.
    public let name: String?
    /// The snapshot.
    public let seq: Int64
    /// First observation of that snapshot.
    public let firstSeen: Instant
    /// Last observation of that snapshot.
    public let lastSeen: Instant
}
