import Foundation
import GRDB
import GatewayAudit

extension DatabaseQueue {
    /// A WAL queue whose commits are synced (`synchronous = FULL`), as the store's writer. Set after opening:
    /// GRDB's WAL setup sets `NORMAL` after `prepareDatabase` has run.
    /// - Throws: GRDB's `DatabaseError`.
    static func synced(path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.journalMode = .wal
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        return queue
    }
}

/// The benchmarks' reference: the same snapshot rows inserted with bare prepared statements in one
/// transaction, with none of the store's reads, diffs, hashing or bookkeeping (the machine's limit).
struct BareInsertStore: Sendable {
    let queue: DatabaseQueue

    /// Creates a plain SQLite file with one table shaped like the store's snapshot rows.
    /// - Throws: GRDB's `DatabaseError`.
    init(path: String) throws {
        queue = try DatabaseQueue.synced(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS snapshot (
                        id INTEGER PRIMARY KEY, gateway_id TEXT NOT NULL, seen INTEGER NOT NULL, content TEXT,
                        content_sha256 TEXT, created_at_raw TEXT, updated_at_raw TEXT)
                    """)
        }
    }

    /// Inserts one row per gateway (with its canonical content and hash) in a single transaction.
    /// - Throws: GRDB's `DatabaseError`.
    func insert(_ rows: [(gateway: Resource, content: String, hash: String)], seen: Instant) throws {
        try queue.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO snapshot (gateway_id, seen, content, content_sha256, created_at_raw, updated_at_raw)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for row in rows {
                try statement.execute(arguments: [
                    row.gateway.id.rawValue, seen.nanosecondsSinceEpoch ?? 0, row.content, row.hash,
                    row.gateway.createdAtText,
                    row.gateway.updatedAtText,
                ])
            }
        }
    }

    /// The SQL that selects the change view's rows, for `sqlite3 -csv` to dump as a reference.
    static let changeRowsSQL = """
        SELECT g.gateway_id, c.change, c.field, c.old_value, c.new_value,
            CASE WHEN p.state = 'gone' AND c.change IN ('added', 'modified', 'removed')
                THEN (SELECT q.last_seen FROM snapshot q WHERE q.gateway = s.gateway AND q.seq < s.seq
                    AND q.state = 'present' ORDER BY q.seq DESC LIMIT 1)
                ELSE p.last_seen END,
            s.first_seen, s.updated_at_raw
        FROM change c JOIN snapshot s ON s.id = c.snapshot JOIN gateway g ON g.id = s.gateway
        LEFT JOIN snapshot p ON p.gateway = s.gateway AND p.seq = s.seq - 1
        ORDER BY s.first_seen, g.gateway_id, s.seq, c.ordinal
        """
}

/// The ingest stages' fair reference: the very rows the store wrote for a night (its runs, resources,
/// snapshots, status windows, changes and anomalies), inserted again with bare prepared statements, in
/// one transaction, into a fresh database with the store's schema, so with the same indexes, the same
/// durability (WAL, `synchronous = FULL`) and nothing computed: no reads, diffs, hashing or bookkeeping.
struct SameRowsReference {
    /// Every table a night writes, parents before children.
    static let tables = ["run", "gateway", "snapshot", "status_window", "change", "anomaly", "failed_observation"]
    let rows: [(table: String, values: [[DatabaseValue]])]

    /// Reads every row of the store's tables at `source`.
    /// - Throws: GRDB's `DatabaseError`.
    init(source: String) throws {
        var config = Configuration()
        config.readonly = true
        rows = try DatabaseQueue(path: source, configuration: config).read { db in
            try Self.tables.map { table in
                (table, try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { Array($0.databaseValues) })
            }
        }
    }

    /// Creates the store's schema at `path`, then inserts the rows; returns the seconds the inserts took.
    /// - Throws: ``StoreError`` or GRDB's `DatabaseError`.
    func insert(into path: String) throws -> Double {
        _ = try HistoryDatabase.open(path: path)
        let queue = try DatabaseQueue.synced(path: path)
        return try measure {
            try queue.write { db in
                for (table, values) in rows {
                    guard let width = values.first?.count else { continue }
                    let statement = try db.makeStatement(
                        sql:
                            "INSERT INTO \(table) VALUES (\(Array(repeating: "?", count: width).joined(separator: ", ")))"
                    )
                    for row in values { try statement.execute(arguments: StatementArguments(row)) }
                }
            }
        }
    }
}

/// The least an unchanged night can cost with this schema, in bare SQL on the store's own database: a
/// run row, one pass reading every resource's open snapshot hash (to know it is unchanged), one prepared
/// last-seen mark per resource and the commit, with the store's durability (WAL, `synchronous = FULL`).
/// No diff, no seal, no Swift model: what no store keeping a per-resource last-seen mark can go below.
///
/// Without `marks`, the same night writes nothing per resource: the floor of the design "building the
/// year" needs (a run that lists a whole scope marks it seen once; a resource's last-seen is derived
/// from its scope's runs). It measures whether that design could reach the target before it is built.
enum UnchangedNightFloor {
    /// Runs one such night on the database at `path` (it keeps the run and the marks); returns
    /// the seconds it took and the resources it marked (without `marks`: found unchanged, none written).
    /// - Throws: GRDB's `DatabaseError`.
    static func night(path: String, at: Instant, marks: Bool = true) throws -> (seconds: Double, marked: Int) {
        let queue = try DatabaseQueue.synced(path: path)
        let nanoseconds = at.nanosecondsSinceEpoch ?? 0
        var marked = 0
        // Each floor night starts from a checkpointed file, so neither pays for the WAL frames of the
        // night before it (the store's, or the other floor's).
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let seconds = try measure {
            try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO run (started_at, tool_version, status) VALUES (?, 'bench floor', 'complete')",
                    arguments: [nanoseconds])
                let run = db.lastInsertedRowID
                var rows: [(id: Int64, hash: Data?)] = []
                let cursor = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT g.id, s.content_sha256 FROM gateway g
                        JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                        """)
                while let row = try cursor.next() { rows.append((row[0], row[1])) }
                let mark =
                    marks
                    ? try db.makeStatement(sql: "UPDATE gateway SET last_run = ?, last_seen = ? WHERE id = ?") : nil
                for row in rows where row.hash != nil {
                    try mark?.execute(arguments: [run, nanoseconds, row.id])
                    marked += 1
                }
            }
        }
        return (seconds, marked)
    }
}
