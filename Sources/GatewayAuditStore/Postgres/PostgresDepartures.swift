import GatewayAuditCore

/// ``ScopeDepartures`` on PostgreSQL. Transactions there run side by side, so a departure and the old
/// scope's seal could each miss the other's write; both take the old scope's seal lock (a transaction
/// advisory lock keyed by the scope), which orders them as SQLite's single writer does.
enum PostgresDepartures {
    /// The first key of the seal locks (the second is the scope's `hashtext`).
    static let sealLockClass = PostgresSchema.lockClass + 1

    /// Records the departures among the batch's resources, after locking the seals of the scopes they leave (in
    /// key order, so two batches never wait on each other).
    static func record(_ writes: [SnapshotWrite], run: Int64, scope: ScopeKey, _ connection: PGConnection) throws {
        let scopeValues: [any PGBindable] = [scope.account, scope.cloud, scope.region, scope.projectID]
        guard !writes.isEmpty,
            let others = try connection.rows(ScopeDepartures.othersSQL, scopeValues + scopeValues).first,
            try others.cells["others"].decode(Bool.self)
        else { return }
        let candidates = ScopeDepartures.candidates(writes)
        var keys = Set<Int64>()
        for start in stride(from: 0, to: candidates.count, by: 500) {
            let slice = candidates[start..<min(start + 500, candidates.count)].map { $0.row as any PGBindable }
            for row in try connection.rows(
                """
                SELECT DISTINCT hashtext(account || '/' || cloud || '/' || region || '/' || project_id)::bigint AS key
                FROM gateway WHERE id IN (\(PGSQL.placeholders(slice.count)))
                    AND NOT (account = ? AND cloud = ? AND region = ? AND project_id = ?)
                """, slice + scopeValues)
            {
                keys.insert(try row.int("key"))
            }
        }
        for key in keys.sorted() {
            try connection.execute("SELECT pg_advisory_xact_lock(?::integer, ?::integer)", [sealLockClass, key])
        }
        for start in stride(from: 0, to: candidates.count, by: 300) {
            let chunk = candidates[start..<min(start + 300, candidates.count)]
            var arguments: [any PGBindable] = [run]
            for candidate in chunk { arguments += [candidate.row, candidate.link] }
            try connection.execute(ScopeDepartures.insertSQL(count: chunk.count, casts: true), arguments + scopeValues)
        }
    }

    /// Takes the seal lock of `scope` for the rest of the transaction.
    static func lockSeal(of scope: ScopeKey, _ connection: PGConnection) throws {
        try connection.execute(
            "SELECT pg_advisory_xact_lock(?::integer, hashtext(? || '/' || ? || '/' || ? || '/' || ?))",
            [sealLockClass, scope.account, scope.cloud, scope.region, scope.projectID])
    }
}
