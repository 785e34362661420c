import GatewayAuditCore

/// ``ScopeDepartures`` on PostgreSQL. Transactions there run side by side, so a departure and the old
/// scope's seal could each miss the other's write; both take the old scope's seal lock (a transaction
/// advisory lock keyed by the scope), which orders them as SQLite's single writer does.
enum PostgresDepartures {
    /// The first key of the seal locks (the second is the scope's `hashtext`).
    static let sealLockClass = PostgresSchema.lockClass + 1

    /// Records the departures among the batch's resources, after locking the seals of the scopes they leave
    /// (in key order, before the batch locks any row). With `sealsOwnScope` (a run recorded and sealed in
    /// the same transaction), the seal lock of the run's own scope is taken in that same key order, not
    /// after the batch's rows, where a batch of another scope holding it could wait on those rows.
    static func record(
        _ writes: [SnapshotWrite], run: Int64, scope: ScopeKey, sealsOwnScope: Bool = false,
        _ connection: PGConnection
    ) throws {
        let scopeValues: [any PGBindable] = [scope.account, scope.cloud, scope.region, scope.projectID]
        guard !writes.isEmpty,
            let others = try connection.rows(ScopeDepartures.othersSQL, scopeValues + scopeValues).first,
            try others.cells["others"].decode(Bool.self)
        else {
            if sealsOwnScope { try lockSeal(of: scope, connection) }
            return
        }
        let candidates = ScopeDepartures.candidates(writes)
        // Another batch may move a resource on while this one waits for a lock: each round records only
        // the departures from scopes whose lock is held, and locks the scopes still left.
        var locked = Set<Int64>()
        var own: Set<Int64> = []
        if sealsOwnScope, let row = try connection.rows("SELECT \(keySQL(nil)) AS key", scopeValues).first {
            own = [try row.int("key")]
        }
        while true {
            let keys = try departingKeys(candidates, scope: scopeValues, connection).union(own).subtracting(locked)
            if keys.isEmpty { return }
            for key in keys.sorted() {
                try connection.execute("SELECT pg_advisory_xact_lock(?::integer, ?::integer)", [sealLockClass, key])
            }
            locked.formUnion(keys)
            // The resources in scopes locked in an earlier round were recorded then and cannot have moved
            // since (a move out of them needs their lock).
            let held = keys.sorted().map { $0 as any PGBindable }
            for start in stride(from: 0, to: candidates.count, by: 300) {
                let chunk = candidates[start..<min(start + 300, candidates.count)].map { $0 as any PGBindable }
                try connection.execute(
                    ScopeDepartures.insertSQL(count: chunk.count, postgres: held.count),
                    [run] + chunk + scopeValues + held)
            }
        }
    }

    /// The seal-lock key of a scope: `hashtext` of `account/cloud/region/project_id` (columns of `alias`,
    /// or four parameters when `alias` is nil), the same expression wherever a seal lock is taken.
    static func keySQL(_ alias: String?) -> String {
        let parts = ["account", "cloud", "region", "project_id"].map { column in alias.map { "\($0).\(column)" } ?? "?"
        }
        return "hashtext(\(parts.joined(separator: " || '/' || ")))::bigint"
    }

    /// The keys of the other scopes the candidates are in.
    private static func departingKeys(_ candidates: [Int64], scope: [any PGBindable], _ connection: PGConnection)
        throws -> Set<Int64>
    {
        var keys = Set<Int64>()
        for start in stride(from: 0, to: candidates.count, by: 500) {
            let slice = candidates[start..<min(start + 500, candidates.count)].map { $0 as any PGBindable }
            for row in try connection.rows(
                """
                SELECT DISTINCT \(keySQL("g")) AS key FROM gateway g
                WHERE g.id IN (\(SQLList.placeholders(slice.count)))
                    AND NOT (g.account = ? AND g.cloud = ? AND g.region = ? AND g.project_id = ?)
                """, slice + scope)
            {
                keys.insert(try row.int("key"))
            }
        }
        return keys
    }

    /// Takes the seal lock of `scope` for the rest of the transaction.
    static func lockSeal(of scope: ScopeKey, _ connection: PGConnection) throws {
        try connection.execute(
            "SELECT pg_advisory_xact_lock(?::integer, (\(keySQL(nil)))::integer)",
            [sealLockClass, scope.account, scope.cloud, scope.region, scope.projectID])
    }
}
