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

    /// A summary's last sighting of resource row `g`: its mark, or, once it is gone, the last observation that saw
    /// it present (the mark of a gone resource is the night it was found missing); both stores.
    static let lastSeenSQL = """
        CASE WHEN \(latestStateSQL) = \(SnapshotState.gone.sqlLiteral)
            THEN (SELECT q.last_seen FROM snapshot q WHERE q.gateway = g.id AND q.state = \(SnapshotState.present.sqlLiteral)
                ORDER BY q.seq DESC LIMIT 1)
            ELSE g.last_seen END
        """

    /// A summary's status of resource row `g`: none once it is gone (a deleted tunnel is not `ACTIVE`); both stores.
    static let statusSQL = "CASE WHEN \(latestStateSQL) = \(SnapshotState.gone.sqlLiteral) THEN NULL ELSE g.status END"

    /// Its id, kind and latest state, by id: the same state as ``GatewaySummary/state``.
    static let sql = """
        SELECT g.gateway_id, g.kind, \(latestStateSQL) AS state
        FROM gateway g
        """
}
