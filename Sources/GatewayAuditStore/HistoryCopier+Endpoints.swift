import Foundation
import GRDB
import GatewayAuditCore

/// One stored row as the copier moves it: column name → value, whatever the store.
typealias CopyRow = [String: RunRecordField]

/// The two things the copier does with a store inside one transaction: read rows, run statements.
struct CopySQL {
    let rows: (_ sql: String, _ arguments: [RunRecordField]) throws -> [CopyRow]
    let execute: (_ sql: String, _ arguments: [RunRecordField]) throws -> Void

    /// The rows of `sql` from `database` in one transaction (`write`: a write transaction, else a read).
    static func within<T>(_ database: HistoryDatabase, write: Bool, _ body: (CopySQL) throws -> T) throws -> T {
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
                    }))
        }
        return try write ? writer.write(run) : writer.read(run)
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
            execute: { sql, arguments in try connection.execute(sql, arguments) })
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
