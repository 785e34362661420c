import GatewayAuditCore

/// What a collection needs to know of a resource before its run: what it is and whether it is present.
///
/// Lighter than ``GatewaySummary``, whose counts and latest name cost a run as much as its recording when
/// an estate's scopes start together.
public struct KnownResource: Sendable, Hashable {
    /// The resource.
    public let gatewayID: GatewayID
    /// Its kind.
    public let kind: ResourceKind
    /// The latest snapshot's state; nil when every fetch of it failed.
    public let state: SnapshotState?

    /// Creates a known resource.
    public init(gatewayID: GatewayID, kind: ResourceKind, state: SnapshotState?) {
        self.gatewayID = gatewayID
        self.kind = kind
        self.state = state
    }

    /// Its id, kind and latest state, by id: the same state as ``GatewaySummary/state``.
    static let sql = """
        SELECT g.gateway_id, g.kind,
            (SELECT state FROM snapshot WHERE gateway = g.id ORDER BY seq DESC LIMIT 1) AS state
        FROM gateway g
        """
}
