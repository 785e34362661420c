import Crypto
import Foundation
import GRDB
import GRDBSQLite
import GatewayAuditCore

/// The hash chain over finished runs and the history's chain head (one SHA-256 over every gateway's
/// latest snapshot link).
///
/// A run record's hash covers its fields in a versioned, explicit encoding (`run.record_version`):
/// - version 4 (current): version 3's, and the kinds a run collected when it collected only some
///   (`kinds`, NULL for every kind), so editing what a run stood for breaks verify too;
/// - version 3: version 2's encoding over version 2's fields and the scope (`cloud`, `region`,
///   `account`); chained to the previous run *of the same scope*, and its head covers that scope's
///   gateways only, so scopes collected at the same time each keep their own chain;
/// - version 2: each field tagged by type, text length-prefixed, so no value can be read
///   as another and nothing depends on a library's debug text;
/// - version 1: runs sealed before versions existed, whose hash was taken over GRDB 7's debug text
///   of each value. That encoding is reproduced here field by field so those runs keep verifying
///   whatever GRDB or Swift later print.
enum RunRecordChain {
    /// The encoding new runs are sealed with.
    static let currentVersion = 4

    /// The columns each version covers, in order (`record_sha256` itself excluded).
    static func columns(version: Int) -> [String] {
        let legacy = [
            "id", "started_at", "finished_at", "status", "endpoint", "project_id", "tool_version", "scope", "observed",
            "unchanged", "changed", "new", "gone", "failed", "message", "chain_head",
        ]
        switch version {
        case 1: return legacy
        case 2: return legacy + ["record_version"]
        case 3: return legacy + ["record_version", "cloud", "region", "account"]
        default: return legacy + ["record_version", "cloud", "region", "account", "kinds"]
        }
    }

    /// Whether runs of `version` chain and take their head within their own scope (else over the whole history).
    static func isScoped(version: Int) -> Bool { version >= 3 }

    /// SHA-256 over `gateway_id:link` lines of every gateway's latest snapshot, by gateway id; only the
    /// gateways of `scope` when one is given. With `sealed` (a run of `scope`), the head that run sealed:
    /// the lines of the resources that left the scope since (``ScopeDepartures``) are counted too.
    static func head(_ db: Database, scope: ScopeKey? = nil, sealed: Int64? = nil) throws -> String {
        let (condition, scoped) = scope.map { $0.sqlCondition("g") } ?? ("1", [])
        var arguments = scoped
        var departed = ""
        // A database verified read-only before its first write by this release has no departures.
        if let scope, let sealed, try db.tableExists("scope_move") {
            departed = " UNION ALL " + ScopeDepartures.departedSQL
            arguments += [scope.account, scope.cloud, scope.region, scope.projectID, sealed]
        }
        let statement = try db.cachedStatement(
            sql: """
                SELECT g.gateway_id, s.chain_sha256 FROM gateway g
                JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                WHERE \(condition)\(departed)
                ORDER BY 1
                """)
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var hasher = HeadHasher()
        let sqlite = statement.sqliteStatement
        while try rows.next() != nil {
            try hasher.add { _ = try appendLine(sqlite, to: &$0) }
        }
        return hasher.finalize()
    }

    /// Appends the head's line of the current row of `sqlite`, `gateway_id:link\n` (columns 0 and 1: the id's
    /// text, the link's hex), to `buffer`.
    /// - Returns: the id's length in bytes.
    static func appendLine(_ sqlite: SQLiteStatement, to buffer: inout [UInt8]) throws -> Int {
        // Both columns are NOT NULL; a NULL here (or SQLite out of memory) is an error, never an empty field.
        guard let id = sqlite3_column_text(sqlite, 0) else { throw missingLine }
        let idCount = Int(sqlite3_column_bytes(sqlite, 0))
        buffer.append(contentsOf: UnsafeBufferPointer(start: id, count: idCount))
        buffer.append(UInt8(ascii: ":"))
        guard StoredDigest.appendHex(sqlite, column: 1, to: &buffer) else { throw missingLine }
        buffer.append(UInt8(ascii: "\n"))
        return idCount
    }

    static var missingLine: DatabaseError {
        DatabaseError(resultCode: .SQLITE_CORRUPT, message: "chain head: a resource without an id or link")
    }

    /// The record hash of a run row in the row's own `record_version`, chained to the previous run's.
    /// - Throws: ``StoreError/unknownValue(path:table:column:value:)`` for a version this build does not know.
    static func record(_ row: Row, previous: String, path: String) throws(StoreError) -> String {
        let version: Int = row["record_version"] ?? 1
        // A column this database does not have yet (a file in an earlier form, verified before its upgrade) is NULL,
        // as the migration that adds it leaves it.
        return try record(version: version, previous: previous, path: path) {
            RunRecordField(row.hasColumn($0) ? row[$0] as DatabaseValue : .null)
        }
    }

    /// The record hash of a run whose column values `field` gives, whatever the store.
    /// - Throws: ``StoreError/unknownValue(path:table:column:value:)`` for a version this build does not
    ///   know, or what `field` throws.
    static func record(
        version: Int, previous: String, path: String, field: (String) throws(StoreError) -> RunRecordField
    ) throws(StoreError) -> String {
        guard (1...currentVersion).contains(version) else {
            throw .unknownValue(path: path, table: "run", column: "record_version", value: String(version))
        }
        var fields = [previous]
        for column in columns(version: version) {
            let value = try field(column)
            fields.append(version == 1 ? legacyText(value) : taggedText(value))
        }
        return SHA256.hash(data: Data(fields.joined(separator: "\n").utf8)).hexString
    }

    /// Version 2: `n` for NULL, `i<decimal>`, `r<shortest round-trip decimal>`, `t<UTF-8 bytes>:<text>`,
    /// `b<bytes>:<lower-case hex>`.
    static func taggedText(_ value: RunRecordField) -> String {
        switch value {
        case .null: return "n"
        case .int64(let number): return "i" + String(number)
        case .double(let number): return "r" + String(number)
        case .string(let text): return "t\(text.utf8.count):" + text
        case .blob(let data): return "b\(data.count):" + data.hexString
        }
    }

    /// Version 1, as GRDB 7.10 described values and the first release hashed them: NULL as a NUL
    /// character, integers in decimal, text as a Swift string literal (`String(reflecting:)`).
    static func legacyText(_ value: RunRecordField) -> String {
        switch value {
        case .null: return "\u{0}"
        case .int64(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return String(reflecting: text)
        case .blob(let data): return "Data(\(data.description))"
        }
    }

    /// Seals run `id`: stores the current chain head and its record hash (both over its scope from
    /// version 3 on), the scope's head from `heads` when it keeps the scope's lines.
    static func seal(run id: Int64, _ db: Database, path: String, heads: ChainHeadCache? = nil) throws {
        guard let stored = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]) else { return }
        let scoped = isScoped(version: stored["record_version"] ?? 1)
        let scope = ScopeKey(row: stored)
        let head = try scoped ? heads?.head(db, scope: scope) ?? head(db, scope: scope) : head(db)
        try db.execute(sql: "UPDATE run SET chain_head = ? WHERE id = ?", arguments: [head, id])
        let (condition, arguments) = scoped ? scope.sqlCondition() : ("1", [])
        let previous =
            try String.fetchOne(
                db,
                sql: """
                    SELECT record_sha256 FROM run WHERE id < ? AND record_sha256 IS NOT NULL AND \(condition)
                    ORDER BY id DESC LIMIT 1
                    """,
                arguments: [id] + arguments) ?? ""
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]) else { return }
        let record = try record(row, previous: previous, path: path)
        try db.execute(sql: "UPDATE run SET record_sha256 = ? WHERE id = ?", arguments: [record, id])
    }
}

/// SHA-256 over a chain head's lines. Every run hashes a line per resource: the lines go through one reused
/// buffer, in 64 KiB steps, copied from SQLite's own values or kept lines (no string per value).
struct HeadHasher {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(1 << 16 + 256)
    }

    /// Adds the bytes `fill` appends to the buffer it is given.
    mutating func add(_ fill: (inout [UInt8]) throws -> Void) rethrows {
        try fill(&buffer)
        if buffer.count >= 1 << 16 {
            hasher.update(data: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// The digest, in lower-case hex.
    consuming func finalize() -> String {
        hasher.update(data: buffer)
        return hasher.finalize().hexString
    }
}

/// One stored value of a run row, as the record hash sees it.
enum RunRecordField: Sendable, Hashable {
    case null
    case int64(Int64)
    case double(Double)
    case string(String)
    case blob(Data)

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .int64(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .blob(let data): self = .blob(data)
        }
    }
}
