import Foundation
import GatewayAuditCore

/// ``HistoryQueries`` over PostgreSQL: the same read models from the same rows, in the same order,
/// streamed from server-side cursors.
struct PostgresQueries: HistoryReading {
    let session: PostgresSession

    var location: String { session.path }

    /// A snapshot's last observation: its own once superseded, the gateway's while it is current.
    static let lastSeen = HistoryQueries.lastSeen

    /// Stored content (JSON text) as `json`, with each escaped NUL (`\u0000`) read as U+FFFD: PostgreSQL's
    /// `->>` refuses to return text holding a NUL, which would fail a whole listing for one resource's name.
    static func json(_ content: String) -> String {
        "replace(\(content), '\\u0000', '\\ufffd')::json"
    }

    func forEachHistoryRow(_ filter: ReportFilter, _ body: (HistoryRow) throws -> Void) throws {
        let (clause, arguments) = filter.pgSQL(gateway: "g.gateway_id", from: Self.lastSeen, to: "s.first_seen")
        try session.stream(
            """
            SELECT g.gateway_id, g.kind, s.seq, s.state, s.first_seen, \(Self.lastSeen) AS last_seen, s.first_run,
                COALESCE(s.last_run, g.last_run) AS last_run, s.content, s.content_sha256, s.chain_sha256,
                g.account, g.cloud, g.region, g.project_id
            FROM snapshot s JOIN gateway g ON g.id = s.gateway
            \(clause) ORDER BY g.gateway_id, s.seq
            """, arguments
        ) { row in
            let content = try row.optionalText("content")
            let kind = try row.stored(ResourceKind.self, "kind", table: "gateway")
            try body(
                HistoryRow(
                    gatewayID: GatewayID(try row.text("gateway_id")), kind: kind, seq: try row.int("seq"),
                    state: try row.stored(SnapshotState.self, "state", table: "snapshot"),
                    firstSeen: try row.instant("first_seen"), lastSeen: try row.instant("last_seen"),
                    firstRun: try row.int("first_run"), lastRun: try row.int("last_run"),
                    resource: try content.map { try Resource(kind: kind, data: Data($0.utf8)) },
                    contentSHA256: try row.optionalText("content_sha256"), chainSHA256: try row.text("chain_sha256"),
                    scope: try row.scope()))
        }
    }

    func forEachChangeRow(_ filter: ReportFilter, _ body: (ChangeRow) throws -> Void) throws {
        let (clause, arguments) = filter.pgSQL(gateway: "g.gateway_id", from: "s.first_seen", to: "s.first_seen")
        var timestamps = LastTimestamp()
        var resources = ResourceLabels()
        try session.streamRecords(
            """
            SELECT ROW(s.gateway, s.seq, c.change, c.field, c.old_value, c.new_value,
                \(HistoryQueries.beforeWindow("last_seen")), \(HistoryQueries.beforeWindow("last_run")),
                s.first_seen, s.first_run, s.updated_at_raw)
            FROM change c
            JOIN snapshot s ON s.id = c.snapshot
            JOIN gateway g ON g.id = s.gateway
            LEFT JOIN snapshot p ON p.gateway = s.gateway AND p.seq = s.seq - 1
            \(clause) ORDER BY s.first_seen, g.gateway_id, s.seq, c.ordinal
            """, arguments, fields: 11, wholeHistory: clause.isEmpty,
            before: { connection in resources = try ResourceLabel.all(connection, ids: filter.gatewayIDs) }
        ) { row in
            // One record per row, its fields read in order (`PGRecord`): a cell of its own per column was most
            // of reading a row. The resource's id, kind and scope come from `resources`, read once.
            let resource = try resources.label(try row.int(), path: row.path)
            try body(
                ChangeRow(
                    gatewayID: resource.id, seq: try row.int(),
                    change: try row.stored(ChangeKind.self, table: "change", column: "change"),
                    field: try row.text(), oldValue: try row.optionalText(), newValue: try row.optionalText(),
                    lastSeenBefore: try row.optionalInt().map(Instant.init(nanosecondsSinceEpoch:)),
                    lastRunBefore: try row.optionalInt(),
                    firstSeenAfter: Instant(nanosecondsSinceEpoch: try row.int()), firstRunAfter: try row.int(),
                    apiUpdatedAt: try row.optionalText(),
                    kind: resource.kind, scope: resource.scope, parsing: &timestamps))
        }
    }

    func forEachTimestampRow(_ filter: ReportFilter, _ body: (TimestampRow) throws -> Void) throws {
        var anomalies: [Int64: [StoredAnomaly]] = [:]
        try forEachAnomaly(filter) { snapshot, anomaly in anomalies[snapshot, default: []].append(anomaly) }
        let (clause, arguments) = filter.pgSQL(
            gateway: "g.gateway_id", from: Self.lastSeen, to: "s.first_seen",
            extra: "s.state = \(SnapshotState.present.sqlLiteral)")
        try session.stream(
            """
            SELECT g.gateway_id, g.kind, s.seq, s.first_seen, s.id, s.created_at_raw, s.updated_at_raw,
                \(PostgresQueries.json("s.content")) -> 'ca_certificate' ->> 'expire_time' AS expire_time_raw,
                \(PostgresQueries.json("s.content")) ->> 'applied_at' AS applied_at_raw,
                g.account, g.cloud, g.region, g.project_id
            FROM snapshot s JOIN gateway g ON g.id = s.gateway
            \(clause) ORDER BY g.gateway_id, s.seq
            """, arguments
        ) { row in
            let found = anomalies[try row.int("id")] ?? []
            let kind = try row.stored(ResourceKind.self, "kind", table: "gateway")
            for field in kind.timestampFields {
                guard let raw = try row.optionalText(Self.timestampColumn(field)) else { continue }
                try body(
                    TimestampRow(
                        gatewayID: GatewayID(try row.text("gateway_id")), seq: try row.int("seq"),
                        firstSeen: try row.instant("first_seen"), field: field.rawValue, raw: raw,
                        timestamp: Timestamp.parsedIfValid(raw), anomalies: found.filter { $0.field == field.rawValue },
                        kind: kind, scope: try row.scope()))
            }
        }
    }

    private static func timestampColumn(_ field: TimestampField) -> String {
        switch field {
        case .createdAt: "created_at_raw"
        case .updatedAt: "updated_at_raw"
        case .appliedAt: "applied_at_raw"
        case .caExpireTime: "expire_time_raw"
        }
    }

    func anomalies(_ filter: ReportFilter) throws(StoreError) -> [StoredAnomaly] {
        var result: [StoredAnomaly] = []
        do {
            try forEachAnomaly(filter) { _, anomaly in result.append(anomaly) }
        } catch {
            throw StoreError.mapped(error, path: location)
        }
        return result
    }

    private func forEachAnomaly(_ filter: ReportFilter, _ body: (Int64, StoredAnomaly) throws -> Void) throws {
        let (clause, arguments) = filter.pgSQL(gateway: "g.gateway_id", from: Self.lastSeen, to: "s.first_seen")
        try session.stream(
            """
            SELECT s.id, g.gateway_id, s.seq, a.field, a.kind, a.detail
            FROM anomaly a JOIN snapshot s ON s.id = a.snapshot JOIN gateway g ON g.id = s.gateway
            \(clause) ORDER BY g.gateway_id, s.seq, a.field, a.kind
            """, arguments
        ) { row in try body(try row.int("id"), try Self.anomaly(row)) }
    }

    static func anomaly(_ row: PGRow) throws -> StoredAnomaly {
        StoredAnomaly(
            gatewayID: GatewayID(try row.text("gateway_id")), seq: try row.int("seq"), field: try row.text("field"),
            kind: try row.stored(AnomalyKind.self, "kind", table: "anomaly"), detail: try row.text("detail"))
    }

    func failedObservations(_ filter: ReportFilter) throws(StoreError) -> [FailedObservation] {
        let (clause, arguments) = filter.pgSQL(gateway: "g.gateway_id", from: "f.observed_at", to: "f.observed_at")
        var result: [FailedObservation] = []
        do {
            try session.stream(
                """
                SELECT g.gateway_id, g.kind, f.run, f.observed_at, f.error
                FROM failed_observation f JOIN gateway g ON g.id = f.gateway
                \(clause) ORDER BY f.observed_at, g.gateway_id
                """, arguments
            ) { row in
                result.append(
                    FailedObservation(
                        gatewayID: GatewayID(try row.text("gateway_id")), run: try row.int("run"),
                        observedAt: try row.instant("observed_at"), error: try row.text("error"),
                        kind: try row.stored(ResourceKind.self, "kind", table: "gateway")))
            }
        } catch {
            throw StoreError.mapped(error, path: location)
        }
        return result
    }

    /// Rows of `sql` read in one statement (small results: summaries, runs).
    func all<T>(_ sql: String, _ arguments: [any PGBindable] = [], _ transform: (PGRow) throws -> T)
        throws(StoreError) -> [T]
    {
        do {
            return try session.withConnection { connection in try connection.rows(sql, arguments).map(transform) }
        } catch {
            throw StoreError.mapped(error, path: location)
        }
    }
}

extension ReportFilter {
    /// ``sql(gateway:from:to:extra:kind:)`` with PostgreSQL bindings.
    func pgSQL(gateway: String, from: String, to: String, extra: String? = nil, kind: String = "g.kind")
        -> (String, [any PGBindable])
    {
        var conditions: [String] = []
        var arguments: [any PGBindable] = []
        if !gatewayIDs.isEmpty {
            conditions.append("\(gateway) IN (\(SQLList.placeholders(gatewayIDs.count)))")
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
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}
