import Foundation
import GatewayAuditCore

/// Copies a whole history between two stores (SQLite → PostgreSQL, and back), run by run, keeping
/// run ids, snapshot sequence numbers, chain links and sealed run records exactly.
///
/// Each run is one transaction on the target, replayed as the run wrote it (its snapshots open the
/// gateway's new state and close the previous one), so an interrupted copy leaves a consistent
/// history that ends at some run, and running the copy again continues after it. A run the target
/// holds under the same id with another record is a different history: the copy stops there.
public struct HistoryCopier: Sendable {
    /// What a copy did.
    public struct Summary: Sendable, Hashable {
        /// Runs copied now.
        public var copied = 0
        /// Runs the target already held, identical (an earlier, interrupted copy).
        public var alreadyPresent = 0
        /// Snapshots copied now.
        public var snapshots = 0
        /// The first source run still `running` (a collection in progress, or one a killed process left, which
        /// the scope's next run closes as aborted): the copy ends before it, since its record is not sealed.
        public var stoppedAt: Int64?
    }

    let source: HistoryDatabase
    let target: HistoryDatabase

    /// Creates a copier from `source` to `target` (the target created and migrated when new).
    public init(from source: HistoryDatabase, to target: HistoryDatabase) {
        self.source = source
        self.target = target
    }

    /// Copies every run the target does not hold yet, up to the first one still running in the source.
    /// - Throws: ``StoreError/differentHistory(path:run:)`` when the target holds another run under an id
    ///   of the source's; any other ``StoreError`` from either store (what was committed stays).
    public func copy(progress: (Int64) -> Void = { _ in }) throws(StoreError) -> Summary {
        var summary = Summary()
        do {
            let (runs, moves) = try CopySQL.within(source, write: false) { sql in
                // A source opened read-only may predate scope moves.
                (try sql.rows("SELECT * FROM run ORDER BY id", []), try sql.hasTable("scope_move"))
            }
            for run in runs {
                guard let id = run["id"]?.int else { continue }
                if run["status"]?.text == RunStatus.running.rawValue {
                    summary.stoppedAt = id
                    break
                }
                let existing = try CopySQL.within(target, write: false) { sql in
                    try sql.rows("SELECT * FROM run WHERE id = ?", [.int64(id)]).first
                }
                if let existing {
                    guard Self.sameRun(existing, run) else {
                        throw StoreError.differentHistory(path: target.path, run: id)
                    }
                    summary.alreadyPresent += 1
                    continue
                }
                let rows = try CopySQL.within(source, write: false) { sql in
                    try RunRows(run: run, id: id, moves: moves, sql)
                }
                try CopySQL.within(target, write: true) { sql in try rows.write(to: sql) }
                summary.copied += 1
                summary.snapshots += rows.snapshots.count
                progress(id)
            }
        } catch {
            throw StoreError.mapped(error, path: target.path)
        }
        return summary
    }

    /// The same run: the same scope, start, status and sealed record.
    static func sameRun(_ a: CopyRow, _ b: CopyRow) -> Bool {
        ["started_at", "status", "record_sha256", "chain_head", "account", "cloud", "region", "project_id"].allSatisfy {
            a[$0] ?? .null == b[$0] ?? .null
        }
    }
}

/// Everything one run wrote, read from the source.
private struct RunRows {
    let run: CopyRow
    let id: Int64
    let gateways: [CopyRow]
    let snapshots: [CopyRow]
    let previous: [CopyRow]
    let changes: [CopyRow]
    let anomalies: [CopyRow]
    let failures: [CopyRow]
    let windows: [CopyRow]
    let closedWindows: [CopyRow]
    /// Resources this run took over from another scope (``ScopeDepartures``).
    let departures: [CopyRow]
    /// The scope each resource of this run had then, by resource id, for those that left it in a later run
    /// (their first later `scope_move` names the scope they left): a copy that stops before that run must
    /// hold them where the copied runs' sealed heads count them.
    let scopeThen: [String: [String: RunRecordField]]

    static let snapshotColumns = [
        "seq", "state", "first_run", "first_seen", "content", "content_sha256", "id_value", "created_at_raw",
        "created_at_utc", "created_at_offset", "updated_at_raw", "updated_at_utc", "updated_at_offset",
        "chain_sha256", "cgw_id", "vgw_id",
    ]
    /// The SHA-256 columns of a snapshot, which each store keeps in its own form (``CopySQL/digest(_:)``).
    static let digestColumns: Set<String> = ["content_sha256", "chain_sha256"]

    /// Reads run `id`'s rows; `moves`: the source has `scope_move` (checked once per copy).
    init(run: CopyRow, id: Int64, moves: Bool, _ sql: CopySQL) throws {
        self.run = run
        self.id = id
        let r: [RunRecordField] = [.int64(id)]
        // A resource this run took over may have nothing else of this run (runs of two scopes overlap).
        gateways = try sql.rows(
            """
            SELECT g.* FROM gateway g WHERE g.id IN (SELECT gateway FROM snapshot WHERE first_run = ?
                UNION SELECT gateway FROM failed_observation WHERE run = ? UNION SELECT gateway FROM status_window
                WHERE first_run = ? OR last_run = ?\(moves ? " UNION SELECT gateway FROM scope_move WHERE run = ?" : ""))
                OR g.last_run = ?
            """, r + r + r + r + (moves ? r : []) + r)
        snapshots = try sql.rows(
            """
            SELECT g.gateway_id, g.kind, s.*, \(sql.contentJSON) AS content_json
            FROM snapshot s JOIN gateway g ON g.id = s.gateway
            WHERE s.first_run = ? ORDER BY s.id
            """, r)
        previous = try sql.rows(
            """
            SELECT g.gateway_id, p.seq, p.last_run, p.last_seen FROM snapshot s JOIN gateway g ON g.id = s.gateway
            JOIN snapshot p ON p.gateway = s.gateway AND p.seq = s.seq - 1 WHERE s.first_run = ?
            """, r)
        changes = try sql.rows(
            "SELECT c.* FROM change c JOIN snapshot s ON s.id = c.snapshot WHERE s.first_run = ? ORDER BY c.snapshot, c.ordinal",
            r)
        anomalies = try sql.rows(
            "SELECT a.* FROM anomaly a JOIN snapshot s ON s.id = a.snapshot WHERE s.first_run = ?", r)
        failures = try sql.rows(
            "SELECT g.gateway_id, f.* FROM failed_observation f JOIN gateway g ON g.id = f.gateway WHERE f.run = ?", r)
        windows = try sql.rows(
            "SELECT g.gateway_id, w.* FROM status_window w JOIN gateway g ON g.id = w.gateway WHERE w.first_run = ?", r)
        closedWindows = try sql.rows(
            """
            SELECT g.gateway_id, w.* FROM status_window w JOIN gateway g ON g.id = w.gateway
            WHERE w.last_run = ? AND w.first_run < ?
            """, r + r)
        departures =
            moves
            ? try sql.rows(
                "SELECT g.gateway_id, m.* FROM scope_move m JOIN gateway g ON g.id = m.gateway WHERE m.run = ?", r)
            : []
        var scopeThen: [String: [String: RunRecordField]] = [:]
        let gatewayRows = gateways.compactMap { $0["id"] }
        for start in stride(from: 0, to: moves ? gatewayRows.count : 0, by: 500) {
            let slice = Array(gatewayRows[start..<min(start + 500, gatewayRows.count)])
            for row in try sql.rows(
                """
                SELECT g.gateway_id, m.account, m.cloud, m.region, m.project_id
                FROM scope_move m JOIN gateway g ON g.id = m.gateway
                WHERE m.gateway IN (\(SQLList.placeholders(slice.count))) AND m.run > ?
                    AND m.run = (SELECT MIN(n.run) FROM scope_move n WHERE n.gateway = m.gateway AND n.run > ?)
                """, slice + r + r)
            {
                guard let id = row["gateway_id"]?.text else { continue }
                scopeThen[id] = row
            }
        }
        self.scopeThen = scopeThen
    }

    /// The run columns a copy writes: the run table's own (a source's extra column, a database administrator's
    /// note or a crafted name, is left behind rather than pasted into the target's SQL).
    static let runColumns: Set<String> = [
        "id", "started_at", "finished_at", "status", "endpoint", "project_id", "tool_version", "scope", "observed",
        "unchanged", "changed", "new", "gone", "failed", "message", "chain_head", "record_version", "cloud", "region",
        "account", "record_sha256", "kinds",
    ]

    /// Writes the run to the target, a few hundred rows a statement: one row a statement would be a
    /// round trip each on PostgreSQL.
    func write(to sql: CopySQL) throws {
        let runColumns = run.keys.filter(Self.runColumns.contains).sorted()
        try sql.execute(
            "INSERT INTO run (\(runColumns.joined(separator: ", "))) VALUES (\(SQLList.placeholders(runColumns.count)))",
            runColumns.map { run[$0] ?? .null })
        let columns = ["gateway_id", "kind", "cloud", "region", "project_id", "account"]
        try sql.insert(
            "INSERT INTO gateway (\(columns.joined(separator: ", ")))",
            gateways.map { gateway in
                let then = scopeThen[gateway["gateway_id"]?.text ?? ""]
                return columns.map { then?[$0] ?? gateway[$0] ?? .null }
            }, "ON CONFLICT (gateway_id) DO NOTHING")
        // By `GatewayID`: its bytes, as the stores tell resources apart.
        var gatewayRows: [GatewayID: RunRecordField] = [:]
        // The target's kind of each resource: a resource the target already holds keeps its row (`ON CONFLICT
        // DO NOTHING`), and its contents are compressed with that row's kind, which its readers use.
        var targetKinds: [GatewayID: RunRecordField] = [:]
        let ids = gateways.map { $0["gateway_id"] ?? .null }
        for start in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[start..<min(start + 500, ids.count)])
            for row in try sql.rows(
                "SELECT id, gateway_id, kind FROM gateway WHERE gateway_id IN (\(SQLList.placeholders(slice.count)))",
                slice)
            {
                gatewayRows[GatewayID(row["gateway_id"]?.text ?? "")] = row["id"]
                targetKinds[GatewayID(row["gateway_id"]?.text ?? "")] = row["kind"]
            }
        }
        func gatewayRow(_ row: CopyRow) -> RunRecordField {
            gatewayRows[GatewayID(row["gateway_id"]?.text ?? "")] ?? .null
        }
        try sql.update(
            "snapshot", set: "last_run = v.column3, last_seen = v.column4",
            where: "snapshot.gateway = v.column1 AND snapshot.seq = v.column2",
            previous.map { [gatewayRow($0), $0["seq"] ?? .null, $0["last_run"] ?? .null, $0["last_seen"] ?? .null] })
        let deflater = ContentDeflater()
        try sql.insert(
            "INSERT INTO snapshot (gateway, \(Self.snapshotColumns.joined(separator: ", ")))",
            snapshots.map { snapshot in
                [gatewayRow(snapshot)]
                    + Self.snapshotColumns.map { column in
                        let value = snapshot[column] ?? .null
                        if column == "content" {
                            var snapshot = snapshot
                            snapshot["kind"] =
                                targetKinds[GatewayID(snapshot["gateway_id"]?.text ?? "")] ?? snapshot["kind"]
                            return sql.content(of: snapshot, deflater: deflater)
                        }
                        return Self.digestColumns.contains(column) ? sql.digest(value) : value
                    }
            })
        // The new snapshots' ids on the target, by resource row and sequence number (unique).
        var inserted: [[RunRecordField]: RunRecordField] = [:]
        for row in try sql.rows("SELECT id, gateway, seq FROM snapshot WHERE first_run = ?", [.int64(id)]) {
            inserted[[row["gateway"] ?? .null, row["seq"] ?? .null]] = row["id"]
        }
        var snapshotRows: [Int64: RunRecordField] = [:]
        for snapshot in snapshots {
            snapshotRows[snapshot["id"]?.int ?? 0] = inserted[[gatewayRow(snapshot), snapshot["seq"] ?? .null]]
        }
        try sql.update(
            "gateway", set: "last_run = v.column2, last_seen = v.column3", where: "gateway.id = v.column1",
            snapshots.map { [gatewayRow($0), .int64(id), $0["first_seen"] ?? .null] })
        try writeDetails(to: sql, snapshotRows: snapshotRows, gatewayRow: gatewayRow)
        try sql.insert(
            "INSERT INTO scope_move (gateway, run, account, cloud, region, project_id, sealed_run, chain_sha256)",
            departures.map { departure in
                [gatewayRow(departure), .int64(id)]
                    + ["account", "cloud", "region", "project_id", "sealed_run"].map { departure[$0] ?? .null }
                    + [sql.digest(departure["chain_sha256"] ?? .null)]
            })
        // The resources it took over are in its scope from this run on (a copy continued after a move
        // holds them in the scope they left).
        let scope = ["account", "cloud", "region", "project_id"].map { run[$0] ?? .null }
        try sql.update(
            "gateway", set: "account = v.column2, cloud = v.column3, region = v.column4, project_id = v.column5",
            where: "gateway.id = v.column1", Array(Set(departures.map { gatewayRow($0) })).map { [$0] + scope })
    }

    private func writeDetails(
        to sql: CopySQL, snapshotRows: [Int64: RunRecordField], gatewayRow: (CopyRow) -> RunRecordField
    ) throws {
        try sql.insert(
            "INSERT INTO change (snapshot, ordinal, change, field, old_value, new_value)",
            changes.map { change in
                [snapshotRows[change["snapshot"]?.int ?? 0] ?? .null]
                    + ["ordinal", "change", "field", "old_value", "new_value"].map { change[$0] ?? .null }
            })
        try sql.insert(
            "INSERT INTO anomaly (snapshot, field, kind, detail)",
            anomalies.map { anomaly in
                [snapshotRows[anomaly["snapshot"]?.int ?? 0] ?? .null]
                    + ["field", "kind", "detail"].map { anomaly[$0] ?? .null }
            })
        try sql.insert(
            "INSERT INTO failed_observation (run, gateway, observed_at, error)",
            failures.map { [.int64(id), gatewayRow($0), $0["observed_at"] ?? .null, $0["error"] ?? .null] })
        // A window still open after this run ends at its resource's mark (NULL); the run that last saw a
        // window closed later sets its end.
        try sql.insert(
            "INSERT INTO status_window (gateway, seq, status, first_run, first_seen, last_run, last_seen)",
            windows.map { window in
                let open = (window["last_run"]?.int ?? Int64.max) > id
                return [gatewayRow(window)] + ["seq", "status", "first_run", "first_seen"].map { window[$0] ?? .null }
                    + (open ? [.null, .null] : [window["last_run"] ?? .null, window["last_seen"] ?? .null])
            })
        // The resource row keeps its latest status: runs are copied in order, and a run opens at most one
        // window per resource.
        try sql.update(
            "gateway", set: "status = v.column2", where: "gateway.id = v.column1",
            windows.map { [gatewayRow($0), $0["status"] ?? .null] })
        try sql.update(
            "status_window", set: "last_run = v.column3, last_seen = v.column4",
            where: "status_window.gateway = v.column1 AND status_window.seq = v.column2",
            closedWindows.map {
                [gatewayRow($0), $0["seq"] ?? .null, $0["last_run"] ?? .null, $0["last_seen"] ?? .null]
            })
        try sql.update(
            "gateway", set: "last_run = v.column2, last_seen = v.column3, operational = v.column4",
            where: "gateway.id = v.column1",
            gateways.filter { $0["last_run"]?.int == id }.map {
                [gatewayRow($0), .int64(id), $0["last_seen"] ?? .null, $0["operational"] ?? .null]
            })
    }
}
