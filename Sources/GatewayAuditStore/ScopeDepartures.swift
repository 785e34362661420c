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
    /// The resources of a batch that will take the run's scope if they are in another: every one with a
    /// row and a current snapshot (so counted in its old scope's head). Every observation of a known
    /// resource moves it: the seen-again and still-gone ones with their marks, the others after them.
    static func candidates(_ writes: [SnapshotWrite]) -> [(row: Int64, link: String)] {
        // By index: a write is a large value, which a closure parameter would copy.
        writes.indices.compactMap { index in
            guard let row = writes[index].prior.gatewayRow, let latest = writes[index].prior.latest else { return nil }
            return (row, latest.chain)
        }
    }

    /// `scope_move` rows for the candidates in another scope than the run's; 300 a statement. Runs before
    /// the batch gives them the run's scope. Anonymous parameters: run, then (row, link) pairs, then scope.
    static func insertSQL(count: Int, casts: Bool) -> String {
        let pair = casts ? "(?::bigint, ?::text)" : "(?, ?)"
        let run = casts ? "?::bigint" : "?"
        return """
            INSERT INTO scope_move (gateway, run, account, cloud, region, project_id, sealed_run, chain_sha256)
            SELECT g.id, \(run), g.account, g.cloud, g.region, g.project_id,
                (SELECT MAX(r.id) FROM run r WHERE r.account = g.account AND r.cloud = g.cloud
                    AND r.region = g.region AND r.project_id = g.project_id AND r.record_sha256 IS NOT NULL),
                v.column2
            FROM (VALUES \(Array(repeating: pair, count: count).joined(separator: ", "))) AS v
            JOIN gateway g ON g.id = v.column1
            WHERE NOT (g.account = ? AND g.cloud = ? AND g.region = ? AND g.project_id = ?)
            """
    }

    /// Whether any resource is in another scope than `scope` (through the scope index: two seeks).
    static let othersSQL = """
        SELECT EXISTS (SELECT 1 FROM gateway WHERE (account, cloud, region, project_id) < (?, ?, ?, ?))
            OR EXISTS (SELECT 1 FROM gateway WHERE (account, cloud, region, project_id) > (?, ?, ?, ?)) AS others
        """

    /// The head lines of the resources that left `scope` after its run `sealed` was sealed, to add to the
    /// lines of the resources still in it (``RunRecordChain/head(_:scope:sealed:)``).
    static let departedSQL = """
        SELECT g.gateway_id, m.chain_sha256 FROM scope_move m JOIN gateway g ON g.id = m.gateway
        WHERE m.account = ? AND m.cloud = ? AND m.region = ? AND m.project_id = ? AND m.sealed_run = ?
        """

    /// Records the departures among the batch's resources (SQLite); nothing to look at when every resource
    /// is in the run's scope.
    static func record(_ writes: [SnapshotWrite], run: Int64, scope: ScopeKey, _ db: Database) throws {
        let scopeValues = [scope.account, scope.cloud, scope.region, scope.projectID]
        guard !writes.isEmpty,
            try Bool.fetchOne(db, sql: othersSQL, arguments: StatementArguments(scopeValues + scopeValues)) == true
        else { return }
        let candidates = candidates(writes)
        for start in stride(from: 0, to: candidates.count, by: 300) {
            let chunk = candidates[start..<min(start + 300, candidates.count)]
            var arguments: [any DatabaseValueConvertible] = [run]
            for candidate in chunk { arguments += [candidate.row, candidate.link] }
            try db.cachedStatement(sql: insertSQL(count: chunk.count, casts: false))
                .execute(arguments: StatementArguments(arguments + scopeValues))
        }
    }
}
