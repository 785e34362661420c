import GRDB
import GatewayAudit

/// The benchmarks' reference: the same snapshot rows inserted with bare prepared statements in one
/// transaction, with none of the store's reads, diffs, hashing or bookkeeping (the machine's limit).
struct BareInsertStore: Sendable {
    let queue: DatabaseQueue

    /// Creates a plain SQLite file with one table shaped like the store's snapshot rows.
    /// - Throws: GRDB's `DatabaseError`.
    init(path: String) throws {
        var config = Configuration()
        config.journalMode = .wal
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        queue = try DatabaseQueue(path: path, configuration: config)
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
        SELECT g.gateway_id, c.change, c.field, c.old_value, c.new_value, p.last_seen, s.first_seen, s.updated_at_raw
        FROM change c JOIN snapshot s ON s.id = c.snapshot JOIN gateway g ON g.id = s.gateway
        LEFT JOIN snapshot p ON p.gateway = s.gateway AND p.seq = s.seq - 1
        ORDER BY s.first_seen, g.gateway_id, s.seq, c.ordinal
        """
}
