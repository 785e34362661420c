import Foundation
import GRDB

extension SQLiteStore {
    /// Streams every snapshot and tombstone matching `filter`, ordered by gateway id then sequence.
    /// A snapshot matches a time range when the period it was observed overlaps it.
    /// - Throws: ``StoreError``, or whatever `body` throws (which stops the stream).
    public func forEachHistoryRow(_ filter: ReportFilter = ReportFilter(), _ body: (HistoryRow) throws -> Void) throws {
        let (clause, arguments) = filter.sql(gateway: "g.gateway_id", from: SQLiteStore.lastSeen, to: "s.first_seen")
        try stream(
            sql: """
                SELECT g.gateway_id, s.seq, s.state, s.first_seen, \(SQLiteStore.lastSeen), s.first_run,
                    COALESCE(s.last_run, g.last_run),
                    s.content, s.content_sha256, s.chain_sha256
                FROM snapshot s JOIN gateway g ON g.id = s.gateway
                \(clause) ORDER BY g.gateway_id, s.seq
                """, arguments: arguments
        ) { row in
            let content: String? = row[7]
            try body(
                HistoryRow(
                    gatewayID: GatewayID(row[0]), seq: row[1], state: SnapshotState(rawValue: row[2]) ?? .present,
                    firstSeen: Instant(nanosecondsSinceEpoch: row[3]), lastSeen: Instant(nanosecondsSinceEpoch: row[4]),
                    firstRun: row[5], lastRun: row[6],
                    gateway: try content.map { try CustomerGateway(data: Data($0.utf8)) },
                    contentSHA256: row[8], chainSHA256: row[9]))
        }
    }

    /// Streams every change and gateway event matching `filter` in the order they were first observed.
    /// A change matches a time range when its first observation falls inside it.
    /// - Throws: ``StoreError``, or whatever `body` throws.
    public func forEachChangeRow(_ filter: ReportFilter = ReportFilter(), _ body: (ChangeRow) throws -> Void) throws {
        let (clause, arguments) = filter.sql(gateway: "g.gateway_id", from: "s.first_seen", to: "s.first_seen")
        try stream(
            sql: """
                SELECT g.gateway_id, s.seq, c.change, c.field, c.old_value, c.new_value,
                    p.last_seen, p.last_run, s.first_seen, s.first_run, s.updated_at_raw
                FROM change c
                JOIN snapshot s ON s.id = c.snapshot
                JOIN gateway g ON g.id = s.gateway
                LEFT JOIN snapshot p ON p.gateway = s.gateway AND p.seq = s.seq - 1
                \(clause) ORDER BY s.first_seen, g.gateway_id, s.seq, c.ordinal
                """, arguments: arguments
        ) { row in
            let before: Int64? = row[6]
            try body(
                ChangeRow(
                    gatewayID: GatewayID(row[0]), seq: row[1], change: ChangeKind(rawValue: row[2]) ?? .modified,
                    field: row[3], oldValue: row[4], newValue: row[5],
                    lastSeenBefore: before.map(Instant.init(nanosecondsSinceEpoch:)), lastRunBefore: row[7],
                    firstSeenAfter: Instant(nanosecondsSinceEpoch: row[8]), firstRunAfter: row[9], apiUpdatedAt: row[10]))
        }
    }

    /// Streams one row per timestamp field (`created_at`, `updated_at`, `ca_certificate.expire_time`) of
    /// every present snapshot matching `filter`, with the anomalies stored for it.
    /// - Throws: ``StoreError``, or whatever `body` throws.
    public func forEachTimestampRow(_ filter: ReportFilter = ReportFilter(), _ body: (TimestampRow) throws -> Void)
        throws
    {
        var anomalies: [Int64: [StoredAnomaly]] = [:]
        try forEachAnomaly(filter) { snapshot, anomaly in anomalies[snapshot, default: []].append(anomaly) }
        let (clause, arguments) = filter.sql(
            gateway: "g.gateway_id", from: SQLiteStore.lastSeen, to: "s.first_seen", extra: "s.state = 'present'")
        try stream(
            sql: """
                SELECT g.gateway_id, s.seq, s.first_seen, s.id, s.created_at_raw, s.updated_at_raw,
                    json_extract(s.content, '$.ca_certificate.expire_time')
                FROM snapshot s JOIN gateway g ON g.id = s.gateway
                \(clause) ORDER BY g.gateway_id, s.seq
                """, arguments: arguments
        ) { row in
            let found = anomalies[row[3]] ?? []
            for (index, field) in ["created_at", "updated_at", "ca_certificate.expire_time"].enumerated() {
                guard let raw = row[4 + index] as String? else { continue }
                try body(
                    TimestampRow(
                        gatewayID: GatewayID(row[0]), seq: row[1], firstSeen: Instant(nanosecondsSinceEpoch: row[2]),
                        field: field, raw: raw, timestamp: try? Timestamp(parsing: raw),
                        anomalies: found.filter { $0.field == field }))
            }
        }
    }

    /// Every stored anomaly matching `filter` (all fields, not only timestamps), by gateway and snapshot.
    /// - Throws: ``StoreError``.
    public func anomalies(_ filter: ReportFilter = ReportFilter()) throws -> [StoredAnomaly] {
        var result: [StoredAnomaly] = []
        try forEachAnomaly(filter) { _, anomaly in result.append(anomaly) }
        return result
    }

    private func forEachAnomaly(_ filter: ReportFilter, _ body: (Int64, StoredAnomaly) throws -> Void) throws {
        let (clause, arguments) = filter.sql(gateway: "g.gateway_id", from: SQLiteStore.lastSeen, to: "s.first_seen")
        try stream(
            sql: """
                SELECT s.id, g.gateway_id, s.seq, a.field, a.kind, a.detail
                FROM anomaly a JOIN snapshot s ON s.id = a.snapshot JOIN gateway g ON g.id = s.gateway
                \(clause) ORDER BY g.gateway_id, s.seq, a.field, a.kind
                """, arguments: arguments
        ) { row in
            guard let kind = AnomalyKind(rawValue: row[4]) else { return }
            try body(row[0], StoredAnomaly(gatewayID: GatewayID(row[1]), seq: row[2], field: row[3], kind: kind, detail: row[5]))
        }
    }

    /// Every known gateway, present or gone, by id.
    /// - Throws: ``StoreError``.
    public func gateways() throws(StoreError) -> [GatewaySummary] {
        try read { db in try Row.fetchAll(db, sql: SQLiteStore.summarySQL + " ORDER BY g.gateway_id").map(SQLiteStore.summary) }
    }

    /// One gateway's summary, or nil when the id has no record (an index lookup, not a scan).
    /// - Throws: ``StoreError``.
    public func gateway(_ id: GatewayID) throws(StoreError) -> GatewaySummary? {
        try read { db in
            try Row.fetchOne(db, sql: SQLiteStore.summarySQL + " WHERE g.gateway_id = ?", arguments: [id.rawValue])
                .map(SQLiteStore.summary)
        }
    }

    /// A snapshot's last observation: its own once superseded, the gateway's while it is current.
    static let lastSeen = "COALESCE(s.last_seen, g.last_seen)"

    private static let summarySQL = """
        SELECT g.gateway_id,
            (SELECT state FROM snapshot WHERE gateway = g.id ORDER BY seq DESC LIMIT 1),
            (SELECT json_extract(content, '$.name') FROM snapshot
                WHERE gateway = g.id AND state = 'present' ORDER BY seq DESC LIMIT 1),
            (SELECT MIN(first_seen) FROM snapshot WHERE gateway = g.id),
            g.last_seen,
            (SELECT COUNT(*) FROM snapshot WHERE gateway = g.id),
            (SELECT COUNT(*) FROM failed_observation WHERE gateway = g.id)
        FROM gateway g
        """

    private static func summary(_ row: Row) -> GatewaySummary {
        let state: String? = row[1]
        let first: Int64? = row[3]
        let last: Int64? = row[4]
        return GatewaySummary(
            gatewayID: GatewayID(row[0]), state: state.flatMap(SnapshotState.init(rawValue:)), name: row[2],
            firstSeen: first.map(Instant.init(nanosecondsSinceEpoch:)),
            lastSeen: last.map(Instant.init(nanosecondsSinceEpoch:)), snapshotCount: row[5], failedCount: row[6])
    }

    /// Collection runs, newest first (`limit` nil for all).
    /// - Throws: ``StoreError``.
    public func runs(limit: Int? = nil) throws(StoreError) -> [RunRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, started_at, finished_at, status, endpoint, project_id, scope, tool_version,
                        observed, unchanged, changed, new, gone, failed, message
                    FROM run ORDER BY id DESC LIMIT ?
                    """, arguments: [limit ?? -1]
            ).map { row in
                var counts = RunCounts()
                counts.observed = row[8]
                counts.unchanged = row[9]
                counts.changed = row[10]
                counts.new = row[11]
                counts.gone = row[12]
                counts.failed = row[13]
                let finished: Int64? = row[2]
                return RunRecord(
                    id: row[0], startedAt: Instant(nanosecondsSinceEpoch: row[1]),
                    finishedAt: finished.map(Instant.init(nanosecondsSinceEpoch:)),
                    status: RunStatus(rawValue: row[3]) ?? .failed, endpoint: row[4], projectID: row[5], scope: row[6],
                    toolVersion: row[7], counts: counts, message: row[14])
            }
        }
    }

    /// Failed observations matching `filter`, oldest first.
    /// - Throws: ``StoreError``.
    public func failedObservations(_ filter: ReportFilter = ReportFilter()) throws -> [FailedObservation] {
        let (clause, arguments) = filter.sql(gateway: "g.gateway_id", from: "f.observed_at", to: "f.observed_at")
        var result: [FailedObservation] = []
        try stream(
            sql: """
                SELECT g.gateway_id, f.run, f.observed_at, f.error
                FROM failed_observation f JOIN gateway g ON g.id = f.gateway
                \(clause) ORDER BY f.observed_at, g.gateway_id
                """, arguments: arguments
        ) { row in
            result.append(
                FailedObservation(
                    gatewayID: GatewayID(row[0]), run: row[1], observedAt: Instant(nanosecondsSinceEpoch: row[2]),
                    error: row[3]))
        }
        return result
    }

    private func stream(sql: String, arguments: StatementArguments, _ body: (Row) throws -> Void) throws {
        do {
            try pool.read { db in
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try cursor.next() { try body(row) }
            }
        } catch let error as DatabaseError {
            // Errors thrown by `body` (a full disk while writing a report, say) pass through unchanged.
            throw SQLiteStore.map(error, path: path)
        }
    }
}

extension ReportFilter {
    /// A WHERE clause and its arguments: `from` ≥ since and `to` ≤ until (so intervals overlap).
    func sql(gateway: String, from: String, to: String, extra: String? = nil) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if !gatewayIDs.isEmpty {
            conditions.append("\(gateway) IN (\(Array(repeating: "?", count: gatewayIDs.count).joined(separator: ", ")))")
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
        if let extra { conditions.append(extra) }
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return (clause, StatementArguments(arguments))
    }
}

extension SQLiteStore {
    /// Totals over the whole history.
    /// - Throws: ``StoreError``.
    public func statistics() throws(StoreError) -> HistoryStatistics {
        try read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT
                        (SELECT COUNT(*) FROM gateway),
                        (SELECT COUNT(*) FROM gateway g WHERE (SELECT state FROM snapshot
                            WHERE gateway = g.id ORDER BY seq DESC LIMIT 1) = 'gone'),
                        (SELECT COUNT(*) FROM snapshot),
                        (SELECT COUNT(*) FROM change WHERE change IN ('added', 'modified', 'removed')),
                        (SELECT COUNT(*) FROM change WHERE change IN ('first-seen', 'gone', 'reappeared')),
                        (SELECT COUNT(*) FROM anomaly),
                        (SELECT COUNT(*) FROM run),
                        (SELECT COUNT(*) FROM failed_observation)
                    """)
            guard let row else { throw StoreError.sqlite(path: path, detail: "statistics query returned nothing") }
            return HistoryStatistics(
                gateways: row[0], goneGateways: row[1], snapshots: row[2], fieldChanges: row[3], events: row[4],
                anomalies: row[5], runs: row[6], failedObservations: row[7])
        }
    }

    /// True when every recorded run talked to a loopback endpoint (a demo or test database, safe to replace).
    /// - Throws: ``StoreError``.
    public func onlyLoopbackRuns() throws(StoreError) -> Bool {
        try read { db in
            let endpoints = try String.fetchAll(db, sql: "SELECT DISTINCT endpoint FROM run")
            return endpoints.allSatisfy { $0.hasPrefix("http://127.") || $0.hasPrefix("http://localhost") }
        }
    }
}
