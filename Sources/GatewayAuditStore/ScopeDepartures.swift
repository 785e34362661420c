import GRDB
import GatewayAuditCore

/// Resources leaving a scope. A run of another scope observes a resource and takes it over; the chain
/// head sealed by the old scope's last run still counts it. Each departure keeps the link the resource
/// had when it left and that run's id, so `verify` recomputes the old scope's head from the resources
/// still in it plus the ones that left after its seal (a move is not a snapshot removed outside a run).
///
/// Ordering: the departure and the old scope's seal are both write transactions, so the run recorded as
/// "sealed" is exactly the one whose head counted the resource (SQLite has one writer; PostgreSQL takes
/// the old scope's seal lock, ``PostgresDepartures``).
enum ScopeDepartures {
    /// The resource rows of a batch that will take the run's scope if they are in another: every
    /// observation of a known resource moves it (the seen-again and still-gone ones with their marks, the
    /// others after them). Only those with a current snapshot were counted in a head: the insert joins it.
    static func candidates(_ writes: [SnapshotWrite]) -> [Int64] {
        // By index: a write is a large value, which a closure parameter would copy.
        writes.indices.compactMap { writes[$0].prior.gatewayRow }
    }

    /// `scope_move` rows for the candidates in another scope than the run's, with the link of their
    /// current snapshot (read in this transaction, before the batch writes: the prior states were read in
    /// an earlier one); 300 a statement. A resource that leaves a scope again before the scope seals anew
    /// keeps its first departure, the one that scope's sealed head counts. Anonymous parameters: run, the
    /// rows, the run's scope, then (PostgreSQL) the scope keys whose seal locks are held.
    static func insertSQL(count: Int, postgres lockedKeys: Int? = nil) -> String {
        let row = lockedKeys == nil ? "?" : "?::bigint"
        let locked =
            lockedKeys.map { keys in
                "\n    AND \(PostgresDepartures.keySQL("g")) IN (\(SQLList.groups("?::bigint", count: keys)))"
            } ?? ""
        return """
            INSERT INTO scope_move (gateway, run, account, cloud, region, project_id, sealed_run, chain_sha256)
            SELECT g.id, \(row), g.account, g.cloud, g.region, g.project_id,
                COALESCE((SELECT MAX(r.id) FROM run r WHERE r.account = g.account AND r.cloud = g.cloud
                    AND r.region = g.region AND r.project_id = g.project_id AND r.record_sha256 IS NOT NULL), 0),
                s.chain_sha256
            FROM gateway g JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
            WHERE g.id IN (\(Array(repeating: row, count: count).joined(separator: ", ")))
                AND NOT (g.account = ? AND g.cloud = ? AND g.region = ? AND g.project_id = ?)\(locked)
            ON CONFLICT DO NOTHING
            """
    }

    /// Whether any resource is in another scope than `scope`: the first or the last entry of the scope
    /// index differs from it (two seeks; a row-value range such as `(account, …) < (?, …)` makes SQLite
    /// read every entry of the scope's first column, a night's worth of rows per batch).
    static let othersSQL = """
        SELECT EXISTS (SELECT 1 FROM (SELECT account, cloud, region, project_id FROM gateway
                ORDER BY account, cloud, region, project_id LIMIT 1) AS lowest
            WHERE NOT (account = ? AND cloud = ? AND region = ? AND project_id = ?))
        OR EXISTS (SELECT 1 FROM (SELECT account, cloud, region, project_id FROM gateway
                ORDER BY account DESC, cloud DESC, region DESC, project_id DESC LIMIT 1) AS highest
            WHERE NOT (account = ? AND cloud = ? AND region = ? AND project_id = ?)) AS others
        """

    /// The head lines of the resources that left `scope` after its run `sealed` was sealed, to add to the
    /// lines of the resources still in it (``RunRecordChain/head(_:scope:sealed:)``).
    static let departedSQL = """
        SELECT g.gateway_id, m.chain_sha256 FROM scope_move m JOIN gateway g ON g.id = m.gateway
        WHERE m.account = ? AND m.cloud = ? AND m.region = ? AND m.project_id = ? AND m.sealed_run = ?
        """

    /// Records the departures among the batch's resources (SQLite); nothing to look at when every resource
    /// is in the run's scope.
    /// - Returns: whether any resource of the history was in another scope than the run's (when none is, no
    ///   resource seen again can move, and the last-seen marks' scope pass has nothing to do).
    @discardableResult
    static func record(_ writes: [SnapshotWrite], run: Int64, scope: ScopeKey, _ db: Database) throws -> Bool {
        let scopeValues = [scope.account, scope.cloud, scope.region, scope.projectID]
        guard !writes.isEmpty,
            try Bool.fetchOne(db, sql: othersSQL, arguments: StatementArguments(scopeValues + scopeValues)) == true
        else { return false }
        let candidates = candidates(writes)
        for start in stride(from: 0, to: candidates.count, by: 300) {
            let chunk = candidates[start..<min(start + 300, candidates.count)]
            try db.cachedStatement(sql: insertSQL(count: chunk.count)).execute(
                arguments: StatementArguments([run] + chunk.map { $0 as any DatabaseValueConvertible } + scopeValues))
        }
        return true
    }
}
