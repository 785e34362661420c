import GRDB
import GatewayAuditCore

extension Row {
    /// The stored text of `column` as one of the enum's cases.
    ///
    /// An audit tool must not guess: an unknown value means a newer writer or an edited row, so it
    /// is reported (naming table, column and value) instead of being read as some default.
    /// - Throws: ``StoreError/unknownValue(path:table:column:value:)``.
    func stored<Value: RawRepresentable<String>>(_ type: Value.Type, _ column: String, table: String, path: String)
        throws(StoreError) -> Value
    {
        try Self.decode(self[column], column: column, table: table, path: path)
    }

    /// Like ``stored(_:_:table:path:)``, reading the column at `index` (named `column` in errors):
    /// for the queries that run once per resource per night.
    /// - Throws: ``StoreError/unknownValue(path:table:column:value:)``.
    func stored<Value: RawRepresentable<String>>(
        _ type: Value.Type, at index: Int, _ column: String, table: String, path: String
    ) throws(StoreError) -> Value {
        try Self.decode(self[index], column: column, table: table, path: path)
    }

    private static func decode<Value: RawRepresentable<String>>(
        _ text: String?, column: String, table: String, path: String
    ) throws(StoreError) -> Value {
        guard let text, let value = Value(rawValue: text) else {
            throw .unknownValue(path: path, table: table, column: column, value: text ?? "NULL")
        }
        return value
    }

    /// Like ``stored(_:_:table:path:)`` for a nullable column.
    /// - Throws: ``StoreError/unknownValue(path:table:column:value:)``.
    func storedIfPresent<Value: RawRepresentable<String>>(
        _ type: Value.Type, _ column: String, table: String, path: String
    ) throws(StoreError) -> Value? {
        let text: String? = self[column]
        guard let text else { return nil }
        guard let value = Value(rawValue: text) else {
            throw .unknownValue(path: path, table: table, column: column, value: text)
        }
        return value
    }

    /// An instant stored as integer nanoseconds since the epoch.
    func instant(_ column: String) -> Instant {
        Instant(nanosecondsSinceEpoch: self[column])
    }

    /// A nullable instant column.
    func instantIfPresent(_ column: String) -> Instant? {
        (self[column] as Int64?).map(Instant.init(nanosecondsSinceEpoch:))
    }
}

extension RunStatus: DatabaseValueConvertible {}
extension SnapshotState: DatabaseValueConvertible {}
extension ChangeKind: DatabaseValueConvertible {}
extension ResourceKind: DatabaseValueConvertible {}

extension Instant {
    /// The integer stored in the database: nanoseconds since the epoch, clamped to what Int64 holds.
    var storageValue: Int64 {
        nanosecondsSinceEpoch ?? (seconds < 0 ? Int64.min : Int64.max)
    }
}

extension RawRepresentable where RawValue == String {
    /// The stored text as an SQL string literal, so queries name enum cases instead of spelling them.
    /// Only for the package's own enums, whose raw values hold no quote.
    var sqlLiteral: String { "'" + rawValue + "'" }
}

extension ChangeKind {
    /// `('added', 'modified', 'removed')`: the field-level kinds as an SQL list.
    static let fieldChangesSQL = "(" + allCases.filter(\.isFieldChange).map(\.sqlLiteral).joined(separator: ", ") + ")"
    /// `('first-seen', 'gone', 'reappeared')`: the gateway events as an SQL list.
    static let eventsSQL = "(" + allCases.filter { !$0.isFieldChange }.map(\.sqlLiteral).joined(separator: ", ") + ")"
}
