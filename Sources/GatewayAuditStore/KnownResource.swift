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

    /// The state of the latest snapshot of the resource row `g` (NULL for none), in SQLite and PostgreSQL:
    /// every query that asks whether a resource is present or gone uses this one expression.
    static let latestStateSQL = "(SELECT state FROM snapshot WHERE gateway = g.id ORDER BY seq DESC LIMIT 1)"

    /// Its id, kind and latest state, by id: the same state as ``GatewaySummary/state``.
    static let sql = """
        SELECT g.gateway_id, g.kind, \(latestStateSQL) AS state
        FROM gateway g
        """
}
