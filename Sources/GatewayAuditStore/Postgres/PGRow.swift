import GatewayAuditCore
import PostgresNIO

/// A value bound to a statement: text, a 64-bit integer or NULL.
protocol PGBindable: Sendable {
    /// The value to bind (nil for NULL).
    var pgValue: PGValue { get }
}

/// What ``PGBindable`` values bind as.
enum PGValue: Sendable {
    case text(String)
    case int(Int64)
    case null
}

/// Text ends at its first NUL character, as SQLite's text binding ends it: PostgreSQL refuses the character
/// in text, and both stores then hold the same value (a resource's content keeps it, escaped in its JSON).
extension String: PGBindable {
    var pgValue: PGValue {
        guard let end = utf8.firstIndex(of: 0) else { return .text(self) }
        return .text(String(self[..<end]))
    }
}
extension Int64: PGBindable { var pgValue: PGValue { .int(self) } }
extension Int: PGBindable { var pgValue: PGValue { .int(Int64(self)) } }
extension Optional: PGBindable where Wrapped: PGBindable {
    var pgValue: PGValue { self?.pgValue ?? .null }
}
extension RunStatus: PGBindable { var pgValue: PGValue { .text(rawValue) } }
extension SnapshotState: PGBindable { var pgValue: PGValue { .text(rawValue) } }
extension ChangeKind: PGBindable { var pgValue: PGValue { .text(rawValue) } }
extension ResourceKind: PGBindable { var pgValue: PGValue { .text(rawValue) } }

/// Turns the store's `?`-placeholder SQL into a bound ``PostgresQuery``.
enum PGSQL {
    static func query(_ sql: String, _ arguments: [any PGBindable]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.pgValue {
            case .text(let text): bindings.append(text)
            case .int(let number): bindings.append(number)
            case .null: bindings.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: numbered(sql), binds: bindings)
    }

    /// `?` → `$1`, `$2`… outside quoted literals and identifiers.
    static func numbered(_ sql: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(sql.utf8.count + 64)
        var index = 0
        var quote: UInt8?
        // `?`, `'` and `"` are ASCII, never part of a multi-byte UTF-8 sequence.
        for byte in sql.utf8 {
            if let open = quote {
                if byte == open { quote = nil }
                result.append(byte)
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
                result.append(byte)
            } else if byte == UInt8(ascii: "?") {
                index += 1
                result.append(UInt8(ascii: "$"))
                result.append(contentsOf: String(index).utf8)
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// One result row, read by column name.
struct PGRow: Sendable {
    let cells: PostgresRandomAccessRow
    let path: String

    init(_ row: PostgresRow, path: String) {
        self.cells = row.makeRandomAccess()
        self.path = path
    }

    func text(_ column: String) throws -> String { try cells[column].decode(String.self) }
    /// Whether the row has `column` (postgres-nio traps on a column it does not have: a database a reading
    /// command opened without upgrading it lacks the latest migrations' columns).
    func has(_ column: String) -> Bool { cells.contains(column) }
    /// The columns by position (no name lookup).
    func text(at index: Int) throws -> String { try cells[index].decode(String.self) }
    func optionalText(at index: Int) throws -> String? { try cells[index].decode(String?.self) }
    func int(at index: Int) throws -> Int64 { try cells[index].decode(Int64.self) }
    func optionalText(_ column: String) throws -> String? { try cells[column].decode(String?.self) }
    func int(_ column: String) throws -> Int64 { try cells[column].decode(Int64.self) }
    func optionalInt(_ column: String) throws -> Int64? { try cells[column].decode(Int64?.self) }
    func instant(_ column: String) throws -> Instant { Instant(nanosecondsSinceEpoch: try int(column)) }
    func optionalInstant(_ column: String) throws -> Instant? {
        try optionalInt(column).map(Instant.init(nanosecondsSinceEpoch:))
    }

    /// The stored text of `column` as one of the enum's cases (an unknown value is an error, never a default).
    func stored<Value: RawRepresentable<String>>(_ type: Value.Type, _ column: String, table: String) throws -> Value {
        let text = try optionalText(column)
        guard let text, let value = Value(rawValue: text) else {
            throw StoreError.unknownValue(path: path, table: table, column: column, value: text ?? "NULL")
        }
        return value
    }

    /// ``stored(_:_:table:)`` by position.
    func stored<Value: RawRepresentable<String>>(_ type: Value.Type, at index: Int, table: String, column: String)
        throws -> Value
    {
        let text = try optionalText(at: index)
        guard let text, let value = Value(rawValue: text) else {
            throw StoreError.unknownValue(path: path, table: table, column: column, value: text ?? "NULL")
        }
        return value
    }

    /// Like ``stored(_:_:table:)`` for a nullable column.
    func storedIfPresent<Value: RawRepresentable<String>>(_ type: Value.Type, _ column: String, table: String)
        throws -> Value?
    {
        guard try optionalText(column) != nil else { return nil }
        return try stored(type, column, table: table)
    }

    /// The scope in the four columns from `index` on: account, cloud, region, project id.
    func scope(at index: Int) throws -> ScopeKey {
        ScopeKey(
            account: try text(at: index), cloud: try text(at: index + 1), region: try text(at: index + 2),
            projectID: try text(at: index + 3))
    }

    /// The scope a `run` or `gateway` row records.
    func scope() throws -> ScopeKey {
        ScopeKey(
            account: try text("account"), cloud: try text("cloud"), region: try text("region"),
            projectID: try text("project_id"))
    }
}
