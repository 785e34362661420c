import Foundation
import GatewayAuditCore

extension PostgresQueries {
    static let summarySQL = """
        SELECT g.gateway_id, g.kind,
            \(KnownResource.statusSQL) AS status,
            (SELECT COUNT(*) FROM gateway c JOIN snapshot cs ON cs.gateway = c.id AND cs.last_seen IS NULL
                WHERE cs.state = \(SnapshotState.present.sqlLiteral) AND cs.cgw_id = g.gateway_id) AS connections,
            \(KnownResource.latestStateSQL) AS state,
            (SELECT \(PostgresQueries.json("content")) ->> 'name' FROM snapshot
                WHERE gateway = g.id AND state = \(SnapshotState.present.sqlLiteral) ORDER BY seq DESC LIMIT 1) AS name,
            (SELECT MIN(first_seen) FROM snapshot WHERE gateway = g.id) AS first_seen,
            \(KnownResource.lastSeenSQL) AS last_seen,
            (SELECT COUNT(*) FROM snapshot WHERE gateway = g.id) AS snapshots,
            (SELECT COUNT(*) FROM failed_observation WHERE gateway = g.id) AS failures,
            g.account, g.cloud, g.region, g.project_id
        FROM gateway g
        """

    static func summary(_ row: PGRow) throws -> GatewaySummary {
        GatewaySummary(
            gatewayID: GatewayID(try row.text("gateway_id")),
            state: try row.storedIfPresent(SnapshotState.self, "state", table: "snapshot"),
            name: try row.optionalText("name"), firstSeen: try row.optionalInstant("first_seen"),
            lastSeen: try row.optionalInstant("last_seen"),
            snapshotCount: Int(try row.int("snapshots")), failedCount: Int(try row.int("failures")),
            kind: try row.stored(ResourceKind.self, "kind", table: "gateway"), status: try row.optionalText("status"),
            connections: Int(try row.int("connections")), scope: try row.scope())
    }

    func gateways() throws(StoreError) -> [GatewaySummary] { try gateways(ScopeFilter()) }

    func gateways(_ filter: ScopeFilter) throws(StoreError) -> [GatewaySummary] {
        let (clause, arguments) = filter.pgClause("g")
        return try all(Self.summarySQL + clause + " ORDER BY g.gateway_id", arguments, Self.summary)
    }

    func knownResources(in scope: ScopeKey) async throws(StoreError) -> [KnownResource] {
        let queries = self
        return try await session.offload { () throws(StoreError) -> [KnownResource] in
            let (condition, arguments) = scope.pgCondition("g")
            return try queries.all(KnownResource.sql + " WHERE " + condition + " ORDER BY g.gateway_id", arguments) {
                row in
                KnownResource(
                    gatewayID: GatewayID(try row.text("gateway_id")),
                    kind: try row.stored(ResourceKind.self, "kind", table: "gateway"),
                    state: try row.storedIfPresent(SnapshotState.self, "state", table: "snapshot"))
            }
        }
    }

    func gateway(_ id: GatewayID) throws(StoreError) -> GatewaySummary? {
        try all(Self.summarySQL + " WHERE g.gateway_id = ?", [id.rawValue], Self.summary).first
    }

    func runs(limit: Int?) throws(StoreError) -> [RunRecord] { try runs(limit: limit, ScopeFilter()) }

    func runs(limit: Int?, _ filter: ScopeFilter) throws(StoreError) -> [RunRecord] {
        var (clause, arguments) = filter.pgClause("run")
        let limitClause: String
        if let limit {
            limitClause = "LIMIT ?"
            arguments.append(limit)
        } else {
            limitClause = "LIMIT ALL"
        }
        return try all("SELECT * FROM run\(clause) ORDER BY id DESC \(limitClause)", arguments) { row in
            var counts = RunCounts()
            counts.observed = Int(try row.int("observed"))
            counts.unchanged = Int(try row.int("unchanged"))
            counts.changed = Int(try row.int("changed"))
            counts.new = Int(try row.int("new"))
            counts.gone = Int(try row.int("gone"))
            counts.failed = Int(try row.int("failed"))
            return RunRecord(
                id: try row.int("id"), startedAt: try row.instant("started_at"),
                finishedAt: try row.optionalInstant("finished_at"),
                status: try row.stored(RunStatus.self, "status", table: "run"), endpoint: try row.text("endpoint"),
                projectID: try row.text("project_id"), scope: try row.stored(RunScope.self, "scope", table: "run"),
                toolVersion: try row.text("tool_version"), counts: counts, message: try row.optionalText("message"),
                scopeKey: try row.scope(),
                kinds: try RunRecord.kinds(stored: row.has("kinds") ? row.optionalText("kinds") : nil, path: row.path)
            )
        }
    }

    func statistics() throws(StoreError) -> HistoryStatistics {
        let rows = try all(
            """
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
            """
        ) { row in
            HistoryStatistics(
                gateways: Int(try row.int("gateways")), goneGateways: Int(try row.int("gone")),
                snapshots: Int(try row.int("snapshots")), fieldChanges: Int(try row.int("field_changes")),
                events: Int(try row.int("events")), anomalies: Int(try row.int("anomalies")),
                runs: Int(try row.int("runs")), failedObservations: Int(try row.int("failures")))
        }
        guard let statistics = rows.first else {
            throw StoreError.postgres(location: location, detail: "statistics query returned nothing")
        }
        return statistics
    }

    func historyHead() throws(StoreError) -> String {
        // One transaction: the scope count and the seal read together.
        try session.transaction(readOnly: true) { connection in
            let scopes = try connection.rows(HistoryQueries.scopeCountSQL).first?.int(at: 0) ?? 0
            if scopes <= 1,
                let latest = try connection.rows("SELECT status, chain_head FROM run ORDER BY id DESC LIMIT 1")
                    .first,
                try latest.stored(RunStatus.self, "status", table: "run") != .running,
                let head = try latest.optionalText("chain_head")
            {
                return head
            }
            return try PostgresChain.head(connection)
        }
    }

    func chainHead() throws(StoreError) -> String {
        do {
            return try session.withConnection { connection in
                if let sealed = try connection.rows(HistoryQueries.sealedHeadSQL).first {
                    return try sealed.text("chain_head")
                }
                return try PostgresChain.head(connection)
            }
        } catch {
            throw StoreError.mapped(error, path: location)
        }
    }

    func sealedScopeHeads() throws(StoreError) -> [ScopeHead] {
        try all(HistoryQueries.sealedScopeHeadsSQL) { row in
            ScopeHead(
                scope: ScopeKey(
                    account: try row.text("account"), cloud: try row.text("cloud"), region: try row.text("region"),
                    projectID: try row.text("project_id")),
                head: try row.text("chain_head"))
        }
    }

    func recordedHead(_ head: String) throws(StoreError) -> Bool {
        try all("SELECT EXISTS (SELECT 1 FROM run WHERE chain_head = ?) AS found", [head]) { row in
            try row.cells["found"].decode(Bool.self)
        }.first ?? false
    }

    func onlyLoopbackRuns() throws(StoreError) -> Bool {
        try all("SELECT DISTINCT endpoint FROM run") { try $0.text("endpoint") }.allSatisfy(Loopback.isLoopback(url:))
    }
}

extension ScopeFilter {
    /// ``clause(_:and:)`` with PostgreSQL bindings.
    func pgClause(_ alias: String, and: Bool = false) -> (String, [any PGBindable]) {
        let conditions = conditions(alias)
        guard !conditions.isEmpty else { return ("", []) }
        return (
            (and ? " AND " : " WHERE ") + conditions.map(\.0).joined(separator: " AND "), conditions.map(\.1)
        )
    }
}
