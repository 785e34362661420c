import Foundation
import GRDB
import GatewayAuditCore

/// One stored row as the copier moves it: column name → value, whatever the store.
typealias CopyRow = [String: RunRecordField]

/// The two things the copier does with a store inside one transaction: read rows, run statements.
struct CopySQL {
    let rows: (_ sql: String, _ arguments: [RunRecordField]) throws -> [CopyRow]
    let execute: (_ sql: String, _ arguments: [RunRecordField]) throws -> Void
    /// Whether the store has the table (a source opened read-only may predate it).
    let hasTable: (_ name: String) throws -> Bool
    /// Whether the store keeps SHA-256 values as bytes (SQLite, ``StoredDigest``) rather than hex text.
    let digestsAsBytes: Bool

    /// A SHA-256 value as this store keeps it, from either store's form.
    func digest(_ value: RunRecordField) -> RunRecordField {
        switch value {
        case .string(let hex) where digestsAsBytes: StoredDigest.bytes(hex: hex).map(RunRecordField.blob) ?? value
        case .blob(let bytes) where !digestsAsBytes: .string(bytes.hexString)
        default: value
        }
    }

    /// The expression of snapshot `s`'s content as JSON text, its resource row as `g` (SQLite compresses it,
    /// ``StoredContent``; PostgreSQL keeps the text).
    var contentJSON: String {
        digestsAsBytes ? StoredContent.json(snapshot: "s", gateway: "g") : "s.content"
    }

    /// A snapshot's content as this store keeps it, from the JSON text `contentJSON` read (column
    /// `content_json` of `snapshot`, read with its resource's `kind` and `gateway_id`).
    func content(of snapshot: CopyRow, deflater: ContentDeflater) -> RunRecordField {
        let value = snapshot["content_json"] ?? .null
        guard digestsAsBytes, case .string(let json) = value else { return value }
        let row = StoredContent.Row(
            kind: snapshot["kind"]?.text ?? "", id: snapshot["gateway_id"]?.text ?? "",
            idValue: snapshot["id_value"]?.text, createdAt: snapshot["created_at_raw"]?.text,
            updatedAt: snapshot["updated_at_raw"]?.text)
        return RunRecordField(StoredContent.value(json: json, row: row, deflater: deflater))
    }

    /// Runs `body` in one transaction of `database` (`write`: a write transaction, else a read); an error is
    /// reported against that store (a failed read of the source names the source, not the target).
    static func within<T>(_ database: HistoryDatabase, write: Bool, _ body: (CopySQL) throws -> T) throws -> T {
        do {
            return try unmappedWithin(database, write: write, body)
        } catch {
            throw StoreError.mapped(error, path: database.path)
        }
    }

    private static func unmappedWithin<T>(_ database: HistoryDatabase, write: Bool, _ body: (CopySQL) throws -> T)
        throws -> T
    {
        if let session = database.postgres {
            if write {
                return try session.transaction { connection in try body(postgres(connection)) }
            }
            return try session.transaction(readOnly: true) { connection in try body(postgres(connection)) }
        }
        let writer = try database.writer
        let run: (Database) throws -> T = { db in
            try body(
                CopySQL(
                    rows: { sql, arguments in
                        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
                            .map { row in
                                Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, RunRecordField(row[$0])) })
                            }
                    },
                    execute: { sql, arguments in
                        try db.execute(sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
                    },
                    hasTable: { name in try db.tableExists(name) }, digestsAsBytes: true))
        }
        guard write else { return try writer.read(run) }
        // Rows written here are none of the recorder's: the writer's kept chain head lines may no longer hold.
        defer { database.chainHeads.invalidate() }
        return try writer.write(run)
    }

    /// `head VALUES (…), (…) tail`, one `(…)` per row, up to 500 rows (and 30,000 values) a statement.
    func insert(_ head: String, _ rows: [[RunRecordField]], _ tail: String = "") throws {
        try batched(rows) { groups in "\(head) VALUES \(groups) \(tail)" }
    }

    /// `UPDATE table SET … FROM (VALUES …) AS v WHERE …`, the rows' values as `v.column1`, `v.column2`…
    /// (the name both SQLite and PostgreSQL give a `VALUES` list's columns), up to 500 rows a statement.
    func update(_ table: String, set: String, where condition: String, _ rows: [[RunRecordField]]) throws {
        try batched(rows, typed: true) { groups in
            "UPDATE \(table) SET \(set) FROM (VALUES \(groups)) AS v WHERE \(condition)"
        }
    }

    /// Runs the statement `sql` makes of each chunk's `(?, …), (?, …)` groups. `typed`: each value is cast
    /// to its own type, since PostgreSQL types a bare `VALUES` list's NULL columns as text.
    private func batched(_ rows: [[RunRecordField]], typed: Bool = false, _ sql: (String) -> String) throws {
        guard let width = rows.first?.count, width > 0 else { return }
        let size = max(1, min(500, 30_000 / width))
        for start in stride(from: 0, to: rows.count, by: size) {
            let chunk = rows[start..<min(start + size, rows.count)]
            let groups = chunk.map { row in
                "(" + row.map { typed ? $0.castPlaceholder : "?" }.joined(separator: ", ") + ")"
            }
            try execute(sql(groups.joined(separator: ", ")), chunk.flatMap { $0 })
        }
    }

    private static func postgres(_ connection: PGConnection) -> CopySQL {
        CopySQL(
            rows: { sql, arguments in
                try connection.rows(sql, arguments).map { row in
                    var values: CopyRow = [:]
                    for cell in row.cells { values[cell.columnName] = try row.field(cell.columnName) }
                    return values
                }
            },
            execute: { sql, arguments in try connection.execute(sql, arguments) },
            hasTable: { name in try PostgresSchema.hasTable(name, connection) }, digestsAsBytes: false)
    }
}

extension RunRecordField: PGBindable {
    var pgValue: PGValue {
        switch self {
        case .null: .null
        case .int64(let number): .int(number)
        case .double(let number): .text(String(number))
        case .string(let text): .text(text)
        case .blob(let data): .text(data.hexString)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .int64(let number): number.databaseValue
        case .double(let number): number.databaseValue
        case .string(let text): text.databaseValue
        case .blob(let data): data.databaseValue
        }
    }

    /// `?` cast to the value's type (`CAST(? AS BIGINT)` reads the same in SQLite and PostgreSQL).
    var castPlaceholder: String {
        switch self {
        case .int64: "CAST(? AS BIGINT)"
        case .null: "?"
        default: "CAST(? AS TEXT)"
        }
    }

    /// The integer, or nil.
    var int: Int64? {
        if case .int64(let number) = self { return number }
        return nil
    }

    /// The text, or nil.
    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
