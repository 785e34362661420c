import GatewayAuditCore
import NIOCore
import PostgresNIO

/// The fields of a row selected as one composite value (`SELECT ROW(a, b, …)`), read in order from its
/// binary form: for the views that stream a million rows.
///
/// postgres-nio hands each cell over as a value of its own (its column's name, type and bytes), a cost that
/// was most of reading a change row; a record is one cell, whose fields are read here straight from its
/// bytes. The binary form (PostgreSQL's `record_send`) is a field count, then per field its type's OID, a
/// length (-1 for NULL) and the value: `int8` big-endian, `text` as UTF-8. A field of any other type, or
/// bytes that do not parse, is an error naming the field, never a guess.
struct PGRecord: ~Copyable {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 4
    private var field = 0
    let path: String

    private static let int8: UInt32 = 20
    private static let text: UInt32 = 25

    private init(_ bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Runs `body` on the record in `row`'s first column, which must hold `fields` fields.
    /// - Throws: ``StoreError/unknownValue(path:table:column:value:)`` when the row is not such a record.
    static func read<Result>(
        _ row: PostgresRow, fields: Int, path: String, _ body: (inout PGRecord) throws -> Result
    ) throws -> Result {
        guard let cell = row.first, cell.dataType == .record, cell.format == .binary, let buffer = cell.bytes else {
            throw malformed(path: path, "not a binary record")
        }
        return try buffer.withUnsafeReadableBytes { bytes in
            var record = PGRecord(bytes, path: path)
            guard bytes.count >= 4, record.load(UInt32.self, at: 0) == UInt32(fields) else {
                throw malformed(path: path, "not \(fields) fields")
            }
            return try body(&record)
        }
    }

    private func load<Value: FixedWidthInteger>(_ type: Value.Type, at offset: Int) -> Value {
        Value(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Value.self))
    }

    private static func malformed(path: String, _ detail: String) -> StoreError {
        StoreError.unknownValue(path: path, table: "result", column: "record", value: detail)
    }

    /// The next field's bytes (nil for NULL), checking that its type is `type`.
    private mutating func next(_ type: UInt32) throws -> UnsafeRawBufferPointer? {
        field += 1
        guard offset + 8 <= bytes.count else { throw Self.malformed(path: path, "field \(field) missing") }
        let oid = load(UInt32.self, at: offset)
        let length = Int(load(Int32.self, at: offset + 4))
        offset += 8
        guard oid == type else { throw Self.malformed(path: path, "field \(field) has type OID \(oid), not \(type)") }
        if length < 0 { return nil }
        guard offset + length <= bytes.count else { throw Self.malformed(path: path, "field \(field) truncated") }
        defer { offset += length }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
    }

    mutating func optionalInt() throws -> Int64? {
        guard let value = try next(Self.int8) else { return nil }
        guard value.count == 8 else { throw Self.malformed(path: path, "field \(field) is not 8 bytes") }
        return Int64(bigEndian: value.loadUnaligned(as: Int64.self))
    }

    mutating func int() throws -> Int64 {
        guard let value = try optionalInt() else { throw Self.malformed(path: path, "field \(field) is NULL") }
        return value
    }

    mutating func optionalText() throws -> String? {
        try next(Self.text).map { String(decoding: $0, as: UTF8.self) }
    }

    mutating func text() throws -> String {
        guard let value = try optionalText() else { throw Self.malformed(path: path, "field \(field) is NULL") }
        return value
    }

    /// The next field's text as one of the enum's cases (an unknown value is an error, never a default).
    mutating func stored<Value: RawRepresentable<String>>(_ type: Value.Type, table: String, column: String)
        throws -> Value
    {
        let text = try optionalText()
        guard let text, let value = Value(rawValue: text) else {
            throw StoreError.unknownValue(path: path, table: table, column: column, value: text ?? "NULL")
        }
        return value
    }
}
