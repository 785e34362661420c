import Foundation
import GRDB
import GatewayAuditCore

extension HistoryQueries {
    public func gateways() throws(StoreError) -> [GatewaySummary] {
        try gateways(ScopeFilter())
    }

    /// The known gateways of the scopes `filter` selects, by id.
    /// - Throws: ``StoreError``.
    public func gateways(_ filter: ScopeFilter) throws(StoreError) -> [GatewaySummary] {
        if let postgres { return try postgres.gateways(filter) }
        let path = database.path
        let (clause, arguments) = filter.clause("g")
        return try database.read { db in
            try Row.fetchAll(db, sql: Self.summarySQL + clause + " ORDER BY g.gateway_id", arguments: arguments).map {
                row in try Self.summary(row, path: path)
            }
        }
    }

    /// The resources a run of `scope` confirms or records gone: every resource last seen in that scope,
    /// with its kind and latest state, by id.
    /// - Throws: ``StoreError``.
    public func knownResources(in scope: ScopeKey) async throws(StoreError) -> [KnownResource] {
        if let postgres { return try await postgres.knownResources(in: scope) }
        let path = database.path
        let (condition, arguments) = scope.sqlCondition("g")
        return try await database.read { db in
            try Row.fetchAll(
                db, sql: KnownResource.sql + " WHERE " + condition + " ORDER BY g.gateway_id", arguments: arguments
            ).map { row throws(StoreError) in
                KnownResource(
                    gatewayID: GatewayID(row[0]),
                    kind: try row.stored(ResourceKind.self, "kind", table: "gateway", path: path),
                    state: try row.storedIfPresent(SnapshotState.self, "state", table: "snapshot", path: path))
            }
        }
    }

    public func gateway(_ id: GatewayID) throws(StoreError) -> GatewaySummary? {
        if let postgres { return try postgres.gateway(id) }
        let path = database.path
        return try database.read { db in
            try Row.fetchOne(db, sql: Self.summarySQL + " WHERE g.gateway_id = ?", arguments: [id.rawValue])
                .map { row in try Self.summary(row, path: path) }
        }
    }

    static let summarySQL = """
        SELECT g.gateway_id, g.kind,
            \(KnownResource.statusSQL) AS status,
            (SELECT COUNT(*) FROM gateway c JOIN snapshot cs ON cs.gateway = c.id AND cs.last_seen IS NULL
                WHERE cs.state = \(SnapshotState.present.sqlLiteral) AND cs.cgw_id = g.gateway_id) AS connections,
            \(KnownResource.latestStateSQL) AS state,
            (SELECT json_extract(\(StoredContent.json(snapshot: "n", gateway: "g")), '$.name') FROM snapshot n
                WHERE n.gateway = g.id AND n.state = \(SnapshotState.present.sqlLiteral) ORDER BY n.seq DESC LIMIT 1)
                AS name,
            (SELECT MIN(first_seen) FROM snapshot WHERE gateway = g.id) AS first_seen,
            \(KnownResource.lastSeenSQL) AS last_seen,
            (SELECT COUNT(*) FROM snapshot WHERE gateway = g.id) AS snapshots,
            (SELECT COUNT(*) FROM failed_observation WHERE gateway = g.id) AS failures,
            g.account, g.cloud, g.region, g.project_id
        FROM gateway g
        """

    private static func summary(_ row: Row, path: String) throws(StoreError) -> GatewaySummary {
        GatewaySummary(
            gatewayID: GatewayID(row["gateway_id"]),
            state: try row.storedIfPresent(SnapshotState.self, "state", table: "snapshot", path: path),
            name: row["name"], firstSeen: row.instantIfPresent("first_seen"),
            lastSeen: row.instantIfPresent("last_seen"),
            snapshotCount: row["snapshots"], failedCount: row["failures"],
            kind: try row.stored(ResourceKind.self, "kind", table: "gateway", path: path), status: row["status"],
            connections: row["connections"], scope: ScopeKey(row: row))
    }

    public func runs(limit: Int?) throws(StoreError) -> [RunRecord] {
        try runs(limit: limit, ScopeFilter())
    }

    /// The latest runs of the scopes `filter` selects, newest first.
    /// - Throws: ``StoreError``.
    public func runs(limit: Int?, _ filter: ScopeFilter) throws(StoreError) -> [RunRecord] {
        if let postgres { return try postgres.runs(limit: limit, filter) }
        let path = database.path
        var (clause, arguments) = filter.clause("run")
        arguments += [limit ?? -1]
        return try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run\(clause) ORDER BY id DESC LIMIT ?", arguments: arguments).map {
                row in
                var counts = RunCounts()
                counts.observed = row["observed"]
                counts.unchanged = row["unchanged"]
                counts.changed = row["changed"]
                counts.new = row["new"]
                counts.gone = row["gone"]
                counts.failed = row["failed"]
                return RunRecord(
                    id: row["id"], startedAt: row.instant("started_at"),
                    finishedAt: row.instantIfPresent("finished_at"),
                    status: try row.stored(RunStatus.self, "status", table: "run", path: path),
                    endpoint: row["endpoint"],
                    projectID: row["project_id"],
                    scope: try row.stored(RunScope.self, "scope", table: "run", path: path),
                    toolVersion: row["tool_version"], counts: counts, message: row["message"],
                    scopeKey: ScopeKey(row: row), kinds: try RunRecord.kinds(stored: row["kinds"], path: path))
            }
        }
    }

    public func statistics() throws(StoreError) -> HistoryStatistics {
        if let postgres { return try postgres.statistics() }
        let path = database.path
        return try database.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT
                        (SELECT COUNT(*) FROM gateway) AS gateways,
                        (SELECT COUNT(*) FROM gateway g
                            WHERE \(KnownResource.latestStateSQL) = \(SnapshotState.gone.sqlLiteral)) AS gone,
                        (SELECT COUNT(*) FROM snapshot) AS snapshots,
                        (SELECT COUNT(*) FROM change WHERE change IN \(ChangeKind.fieldChangesSQL)) AS field_changes,
                        (SELECT COUNT(*) FROM change WHERE change IN \(ChangeKind.eventsSQL)) AS events,
                        (SELECT COUNT(*) FROM anomaly) AS anomalies,
                        (SELECT COUNT(*) FROM run) AS runs,
                        (SELECT COUNT(*) FROM failed_observation) AS failures
                    """)
            guard let row else { throw StoreError.sqlite(path: path, detail: "statistics query returned nothing") }
            return HistoryStatistics(
                gateways: row["gateways"], goneGateways: row["gone"], snapshots: row["snapshots"],
                fieldChanges: row["field_changes"], events: row["events"], anomalies: row["anomalies"],
                runs: row["runs"],
                failedObservations: row["failures"])
        }
    }

    /// The chain head an export is anchored to: the one the latest finished run sealed, so that
    /// `verify FILE --db` finds it recorded even when the export was made while a collection ran (or after one
    /// was killed); recomputed only when no run has sealed one yet. ``HistoryVerifier/verify()`` always
    /// recomputes.
    public func chainHead() throws(StoreError) -> String {
        if let postgres { return try postgres.chainHead() }
        return try database.read { db in
            try String.fetchOne(db, sql: Self.sealedHeadSQL) ?? RunRecordChain.head(db)
        }
    }

    /// The head the latest finished run sealed (both stores).
    static let sealedHeadSQL = "SELECT chain_head FROM run WHERE chain_head IS NOT NULL ORDER BY id DESC LIMIT 1"

    /// The head over the whole history, the one `verify` prints: the latest run's seal when every run
    /// has one scope and no run is in progress (the two are the same), else recomputed over every scope (a
    /// run of an estate seals only its own scope's head). What `copy` and `import` print, so it can be
    /// compared with `verify`'s. Read in one transaction.
    public func historyHead() throws(StoreError) -> String {
        if let postgres { return try postgres.historyHead() }
        let path = database.path
        return try database.read { db in
            if try Int.fetchOne(db, sql: Self.scopeCountSQL) ?? 0 <= 1,
                let latest = try Row.fetchOne(db, sql: "SELECT status, chain_head FROM run ORDER BY id DESC LIMIT 1"),
                try latest.stored(RunStatus.self, "status", table: "run", path: path) != .running,
                let head = latest["chain_head"] as String?
            {
                return head
            }
            return try RunRecordChain.head(db)
        }
    }

    /// How many scopes the runs belong to (both stores).
    static let scopeCountSQL = "SELECT COUNT(*) FROM (SELECT DISTINCT account, cloud, region, project_id FROM run) AS s"

    public func sealedScopeHeads() throws(StoreError) -> [ScopeHead] {
        if let postgres { return try postgres.sealedScopeHeads() }
        return try database.read { db in
            try Row.fetchAll(db, sql: Self.sealedScopeHeadsSQL).map { row in
                ScopeHead(scope: ScopeKey(row: row), head: row["chain_head"])
            }
        }
    }

    /// The head each scope's latest finished run sealed (both stores), by scope.
    static let sealedScopeHeadsSQL = """
        SELECT r.account, r.cloud, r.region, r.project_id, r.chain_head FROM run r
        WHERE r.id IN (SELECT MAX(id) FROM run WHERE chain_head IS NOT NULL GROUP BY account, cloud, region, project_id)
        ORDER BY r.account, r.cloud, r.region, r.project_id
        """

    public func recordedHead(_ head: String) throws(StoreError) -> Bool {
        if let postgres { return try postgres.recordedHead(head) }
        return try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE chain_head = ?)", arguments: [head])
                ?? false
        }
    }

    /// True when every recorded run talked to a loopback endpoint (a demo or test database, safe to
    /// replace), by the same rule that allows plain `http://` (``Loopback``).
    /// - Throws: ``StoreError``.
    public func onlyLoopbackRuns() throws(StoreError) -> Bool {
        if let postgres { return try postgres.onlyLoopbackRuns() }
        return try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT endpoint FROM run").allSatisfy(Loopback.isLoopback(url:))
        }
    }
}

extension ReportFilter {
    /// A WHERE clause and its arguments: `from` ≥ since and `to` ≤ until (so intervals overlap).
    func sql(gateway: String, from: String, to: String, extra: String? = nil, kind: String = "g.kind")
        -> (String, StatementArguments)
    {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if !gatewayIDs.isEmpty {
            conditions.append(
                "\(gateway) IN (\(SQLList.placeholders(gatewayIDs.count)))")
            arguments += gatewayIDs.map(\.rawValue)
        }
        if let since {
            conditions.append("\(from) >= ?")
            arguments.append(since.storageValue)
        }
        if let until {
            conditions.append("\(to) <= ?")
            arguments.append(until.storageValue)
        }
        if !kinds.isEmpty {
            conditions.append("\(kind) IN (\(SQLList.placeholders(kinds.count)))")
            arguments += kinds.map(\.rawValue)
        }
        for (condition, value) in scopes.conditions("g") {
            conditions.append(condition)
            arguments.append(value)
        }
        if let extra { conditions.append(extra) }
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return (clause, StatementArguments(arguments))
    }
}
