import Foundation
import GRDB
import GatewayAuditCore

/// The read models of an SQLite history: report rows streamed from cursors, summaries and runs.
/// Columns are read by name (by position in the change view, which reads every row of a big export);
/// unknown stored values are errors, never defaults.
public struct HistoryQueries: HistoryReading {
    let database: HistoryDatabase

    public func confirmUnchanged() throws(StoreError) { try database.confirmUnchanged() }

    /// Creates the queries over `database`.
    public init(_ database: HistoryDatabase) {
        self.database = database
    }

    /// The database file, or the PostgreSQL URL without its password.
    public var location: String { database.path }

    /// The PostgreSQL read models when the history lives there.
    var postgres: PostgresQueries? { database.postgres.map(PostgresQueries.init(session:)) }

    /// A snapshot's last observation: its own once superseded, the gateway's while it is current.
    static let lastSeen = "COALESCE(s.last_seen, g.last_seen)"

    public func forEachHistoryRow(_ filter: ReportFilter, _ body: (HistoryRow) throws -> Void) throws {
        try pipelined(filter, body) { queries, emit in try queries.readHistoryRows(filter, emit) }
    }

    public func forEachChangeRow(_ filter: ReportFilter, _ body: (ChangeRow) throws -> Void) throws {
        try pipelined(filter, body) { queries, emit in try queries.readChangeRows(filter, emit) }
    }

    /// Whether ``forEachChangeRow(_:_:)`` and ``forEachHistoryRow(_:_:)`` read `filter`'s rows on a thread of
    /// their own (see ``pipelined(_:_:_:)``).
    func readsOnOwnThread(_ filter: ReportFilter) -> Bool {
        database.readsInParallel && filter.gatewayIDs.isEmpty
    }

    /// Hands the rows `read` reads to `body`, reading them on a thread of their own when the database
    /// allows (``RowPipeline``): the big exports' reading and their formatting then share the two cores.
    /// A read of named resources stays on the caller's thread: the HTML report reads each of its thousand
    /// resources on its own, and a thread for each (1,451 of them) doubled the page's time.
    private func pipelined<Row: Sendable>(
        _ filter: ReportFilter, _ body: (Row) throws -> Void,
        _ read: @escaping @Sendable (HistoryQueries, _ emit: (Row) throws -> Void) throws -> Void
    ) throws {
        guard readsOnOwnThread(filter) else { return try read(self, body) }
        try RowPipeline.run(produce: { [self] emit in try read(self, emit) }, consume: body)
    }

    private func readHistoryRows(_ filter: ReportFilter, _ body: (HistoryRow) throws -> Void) throws {
        if let postgres { return try postgres.forEachHistoryRow(filter, body) }
        let (clause, arguments) = filter.sql(gateway: "g.gateway_id", from: Self.lastSeen, to: "s.first_seen")
        let path = database.path
        try stream(
            sql: """
                SELECT g.gateway_id, g.kind, s.seq, s.state, s.first_seen, \(Self.lastSeen) AS last_seen, s.first_run,
                    COALESCE(s.last_run, g.last_run) AS last_run, \(StoredContent.json(snapshot: "s", gateway: "g")) AS content,
                    s.content_sha256, s.chain_sha256,
                    g.account, g.cloud, g.region, g.project_id
                FROM snapshot s JOIN gateway g ON g.id = s.gateway
                \(clause) ORDER BY g.gateway_id, s.seq
                """, arguments: arguments
        ) { row in
            let content: String? = row["content"]
            let kind = try row.stored(ResourceKind.self, "kind", table: "gateway", path: path)
            try body(
                HistoryRow(
                    gatewayID: GatewayID(row["gateway_id"]), kind: kind, seq: row["seq"],
                    state: try row.stored(SnapshotState.self, "state", table: "snapshot", path: path),
                    firstSeen: row.instant("first_seen"), lastSeen: row.instant("last_seen"),
                    firstRun: row["first_run"], lastRun: row["last_run"],
                    resource: try content.map { try Resource(kind: kind, data: Data($0.utf8)) },
                    contentSHA256: StoredDigest.hex(row["content_sha256"]),
                    chainSHA256: StoredDigest.hex(row["chain_sha256"]) ?? "", scope: ScopeKey(row: row)))
        }
    }

    /// The start of a change row's window, `column` of the snapshot before it (`p`, the one numbered one less):
    /// for a field change of a resource that reappeared (`p` its gone tombstone), of the last snapshot that saw
    /// it present instead, the state its fields are compared with. Evaluated only for such rows (both stores).
    static func beforeWindow(_ column: String) -> String {
        """
        CASE WHEN p.state = \(SnapshotState.gone.sqlLiteral) AND c.change IN \(ChangeKind.fieldChangesSQL)
            THEN (SELECT q.\(column) FROM snapshot q WHERE q.gateway = s.gateway AND q.seq < s.seq
                AND q.state = \(SnapshotState.present.sqlLiteral) ORDER BY q.seq DESC LIMIT 1)
            ELSE p.\(column) END
        """
    }

    private func readChangeRows(_ filter: ReportFilter, _ body: (ChangeRow) throws -> Void) throws {
        if let postgres { return try postgres.forEachChangeRow(filter, body) }
        let (clause, arguments) = filter.sql(gateway: "g.gateway_id", from: "s.first_seen", to: "s.first_seen")
        let path = database.path
        var timestamps = LastTimestamp()
        var resources = ResourceLabels()
        try stream(
            sql: """
                SELECT s.gateway, s.seq, c.change, c.field, c.old_value, c.new_value,
                    \(Self.beforeWindow("last_seen")) AS last_seen_before,
                    \(Self.beforeWindow("last_run")) AS last_run_before, s.first_seen, s.first_run,
                    s.updated_at_raw
                FROM change c
                JOIN snapshot s ON s.id = c.snapshot
                JOIN gateway g ON g.id = s.gateway
                LEFT JOIN snapshot p ON p.gateway = s.gateway AND p.seq = s.seq - 1
                \(clause) ORDER BY s.first_seen, g.gateway_id, s.seq, c.ordinal
                """, arguments: arguments,
            before: { db in resources = try ResourceLabel.all(db, ids: filter.gatewayIDs, path: path) }
        ) { row in
            // Read by position (the SELECT's order): a name look-up per cell was a tenth of a big export. The
            // resource's id, kind and scope come from `resources`, not from five more cells of every row.
            let resource = try resources.label(row[0], path: path)
            try body(
                ChangeRow(
                    gatewayID: resource.id, seq: row[1],
                    change: try row.stored(ChangeKind.self, at: 2, "change", table: "change", path: path),
                    field: row[3], oldValue: row[4], newValue: row[5],
                    lastSeenBefore: (row[6] as Int64?).map(Instant.init(nanosecondsSinceEpoch:)), lastRunBefore: row[7],
                    firstSeenAfter: Instant(nanosecondsSinceEpoch: row[8]), firstRunAfter: row[9],
                    apiUpdatedAt: row[10], kind: resource.kind, scope: resource.scope, parsing: &timestamps))
        }
    }

    public func forEachTimestampRow(_ filter: ReportFilter, _ body: (TimestampRow) throws -> Void) throws {
        if let postgres { return try postgres.forEachTimestampRow(filter, body) }
        let path = database.path
        var anomalies: [Int64: [StoredAnomaly]] = [:]
        try forEachAnomaly(filter) { snapshot, anomaly in anomalies[snapshot, default: []].append(anomaly) }
        let (clause, arguments) = filter.sql(
            gateway: "g.gateway_id", from: Self.lastSeen, to: "s.first_seen",
            extra: "s.state = \(SnapshotState.present.sqlLiteral)")
        try stream(
            sql: """
                SELECT g.gateway_id, g.kind, s.seq, s.first_seen, s.id, s.created_at_raw, s.updated_at_raw,
                    json_extract(\(StoredContent.json(snapshot: "s", gateway: "g")), '$.ca_certificate.expire_time') AS expire_time_raw,
                    json_extract(\(StoredContent.json(snapshot: "s", gateway: "g")), '$.applied_at') AS applied_at_raw,
                    g.account, g.cloud, g.region, g.project_id
                FROM snapshot s JOIN gateway g ON g.id = s.gateway
                \(clause) ORDER BY g.gateway_id, s.seq
                """, arguments: arguments
        ) { row in
            let found = anomalies[row["id"]] ?? []
            let kind = try row.stored(ResourceKind.self, "kind", table: "gateway", path: path)
            for field in kind.timestampFields {
                guard let raw = row[Self.timestampColumn(field)] as String? else { continue }
                try body(
                    TimestampRow(
                        gatewayID: GatewayID(row["gateway_id"]), seq: row["seq"], firstSeen: row.instant("first_seen"),
                        field: field.rawValue, raw: raw, timestamp: Timestamp.parsedIfValid(raw),
                        anomalies: found.filter { $0.field == field.rawValue }, kind: kind,
                        scope: ScopeKey(row: row)))
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

    public func anomalies(_ filter: ReportFilter) throws(StoreError) -> [StoredAnomaly] {
        if let postgres { return try postgres.anomalies(filter) }
        var result: [StoredAnomaly] = []
        do {
            try forEachAnomaly(filter) { _, anomaly in result.append(anomaly) }
        } catch {
            throw StoreError.mapped(error, path: database.path)
        }
        return result
    }

    private func forEachAnomaly(_ filter: ReportFilter, _ body: (Int64, StoredAnomaly) throws -> Void) throws {
        let (clause, arguments) = filter.sql(gateway: "g.gateway_id", from: Self.lastSeen, to: "s.first_seen")
        let path = database.path
        try stream(
            sql: """
                SELECT s.id, g.gateway_id, s.seq, a.field, a.kind, a.detail
                FROM anomaly a JOIN snapshot s ON s.id = a.snapshot JOIN gateway g ON g.id = s.gateway
                \(clause) ORDER BY g.gateway_id, s.seq, a.field, a.kind
                """, arguments: arguments
        ) { row in
            try body(
                row["id"],
                StoredAnomaly(
                    gatewayID: GatewayID(row["gateway_id"]), seq: row["seq"], field: row["field"],
                    kind: try row.stored(AnomalyKind.self, "kind", table: "anomaly", path: path), detail: row["detail"])
            )
        }
    }

    public func failedObservations(_ filter: ReportFilter) throws(StoreError) -> [FailedObservation] {
        if let postgres { return try postgres.failedObservations(filter) }
        let (clause, arguments) = filter.sql(gateway: "g.gateway_id", from: "f.observed_at", to: "f.observed_at")
        let path = database.path
        var result: [FailedObservation] = []
        do {
            try stream(
                sql: """
                    SELECT g.gateway_id, g.kind, f.run, f.observed_at, f.error
                    FROM failed_observation f JOIN gateway g ON g.id = f.gateway
                    \(clause) ORDER BY f.observed_at, g.gateway_id
                    """, arguments: arguments
            ) { row in
                result.append(
                    FailedObservation(
                        gatewayID: GatewayID(row["gateway_id"]), run: row["run"],
                        observedAt: row.instant("observed_at"),
                        error: row["error"],
                        kind: try row.stored(ResourceKind.self, "kind", table: "gateway", path: path)))
            }
        } catch {
            throw StoreError.mapped(error, path: database.path)
        }
        return result
    }

    /// Runs `body` on each row of a cursor inside one read transaction (a consistent view). The statement
    /// is prepared once per connection: the HTML report runs the same per-resource queries a thousand
    /// times, and compiling them each time (with GRDB's authorizer) was a third of its time. `before` runs
    /// first in the same transaction (what the rows refer to, read once).
    func stream(
        sql: String, arguments: StatementArguments, before: (Database) throws -> Void = { _ in },
        _ body: (Row) throws -> Void
    ) throws {
        do {
            try (try database.writer).read { db in
                try before(db)
                let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
                while let row = try cursor.next() { try body(row) }
            }
        } catch let error as DatabaseError {
            // Errors thrown by `body` (a full disk while writing a report, say) pass through unchanged.
            throw StoreError.map(error, path: database.path)
        }
    }
}
