import Foundation
import GRDB
import GRDBSQLite
import GatewayAuditCore

/// How the SQLite store keeps the SHA-256 values of snapshots and departures (`snapshot.content_sha256`,
/// `snapshot.chain_sha256`, `scope_move.chain_sha256`): their 32 bytes, as a BLOB, since migration
/// `v7-compact`. As 64 hex digits of text they took 64 bytes more per snapshot (7 % of the bench's peer history).
/// Everything above the store still sees lower-case hex: hash chains, reports, `copy` to PostgreSQL (whose
/// columns stay text). Text is still read, as stored: a value edited by hand is compared like any other, so
/// verification reports it.
enum StoredDigest {
    /// What to store for the hex digest `hex`: its bytes; NULL for nil. A text that is not 64 lower-case
    /// hex digits is stored as it is (the store computes every digest it writes, so this is a copy's
    /// edited value, kept for verification to report).
    static func value(hex: String?) -> DatabaseValue {
        guard let hex else { return .null }
        return bytes(hex: hex).map { $0.databaseValue } ?? hex.databaseValue
    }

    /// The hex digest of a stored value: a BLOB's bytes in lower-case hex, a text as stored, nil for NULL.
    static func hex(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .blob(let data): data.hexString
        case .string(let text): text
        case .int64(let number): String(number)
        case .double(let number): String(number)
        }
    }

    /// Appends column `column` of `statement`, a stored digest, to `buffer` as the hex text the digest's
    /// string would be (a BLOB's bytes in hex, a text's bytes as they are), with no string made; false for NULL.
    static func appendHex(_ statement: SQLiteStatement, column: Int32, to buffer: inout [UInt8]) -> Bool {
        // SQLite's safe order: the type, then the value, then its length.
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            return false
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(statement, column) else { return true }
            let raw = UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column)))
            for byte in raw {
                buffer.append(digit(byte >> 4))
                buffer.append(digit(byte & 0x0F))
            }
            return true
        default:
            guard let text = sqlite3_column_text(statement, column) else { return false }
            buffer.append(
                contentsOf: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column))))
            return true
        }
    }

    /// The 32 bytes of 64 lower-case hex digits; nil for any other text.
    static func bytes(hex: String) -> Data? {
        var hex = hex
        hex.makeContiguousUTF8()
        return hex.utf8.withContiguousStorageIfAvailable { digits -> Data? in
            guard digits.count == 64 else { return nil }
            var bytes = [UInt8](repeating: 0, count: 32)
            for index in 0..<32 {
                guard let high = value(digits[2 * index]), let low = value(digits[2 * index + 1]) else { return nil }
                bytes[index] = high << 4 | low
            }
            return Data(bytes)
        } ?? nil
    }

    /// The SQL function `v7-compact` converts the hex text of earlier releases with (see ``value(hex:)``).
    static let function = DatabaseFunction("gateway_audit_digest", argumentCount: 1, pure: true) { values in
        switch values[0].storage {
        case .string(let text): value(hex: text)
        default: values[0]
        }
    }

    /// The lower-case hex digit of `nibble`.
    static func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x61...0x66: digit - 0x57
        default: nil
        }
    }
}

/// A digest as a prior-state read found it: the 32 bytes SQLite stores (since `v7-compact`), or a text as
/// stored (PostgreSQL's columns, or a value edited by hand, which verification reports). Read for every
/// resource every night, so an unchanged resource costs no string: its content digest is compared with
/// the observation's hex in place, and the hex of its chain link is only written when a link is made.
enum StoredHash: Sendable, Hashable {
    case bytes(Bytes32)
    case text(String)

    /// 32 bytes, held inline.
    struct Bytes32: Sendable, Hashable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        init(_ raw: UnsafeRawBufferPointer) {
            words = (
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }

        func withBytes<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
            withUnsafeBytes(of: words) { body($0) }
        }

        static func == (lhs: Bytes32, rhs: Bytes32) -> Bool {
            lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
                && lhs.words.3 == rhs.words.3
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
            hasher.combine(words.3)
        }
    }

    /// Column `column` of `statement`: a 32-byte BLOB as bytes, any other value as its text; nil for NULL.
    init?(_ statement: SQLiteStatement, column: Int32) {
        // SQLite's safe order: the type, then the value, then its length (a BLOB read as a BLOB is never
        // converted, so its length may come first here).
        let type = sqlite3_column_type(statement, column)
        if type == SQLITE_NULL { return nil }
        if type == SQLITE_BLOB, sqlite3_column_bytes(statement, column) == 32,
            let blob = sqlite3_column_blob(statement, column)
        {
            self = .bytes(Bytes32(UnsafeRawBufferPointer(start: blob, count: 32)))
            return
        }
        // Any other value as ``StoredDigest/hex(_:)`` reads it: a BLOB's bytes in hex, a text as stored.
        var text: [UInt8] = []
        guard StoredDigest.appendHex(statement, column: column, to: &text) else { return nil }
        self = .text(String(decoding: text, as: UTF8.self))
    }

    /// Lower-case hex, as everything above the store sees digests (a text as stored).
    var hex: String {
        switch self {
        case .bytes(let bytes): bytes.withBytes { $0.hexString }
        case .text(let text): text
        }
    }

    /// Whether `hex` is this digest's hex, compared in place.
    func matches(hex: String) -> Bool {
        switch self {
        case .text(let text):
            return text == hex
        case .bytes(let bytes):
            var hex = hex
            return hex.withUTF8 { digits in
                guard digits.count == 64 else { return false }
                return bytes.withBytes { raw in
                    for index in 0..<32 {
                        let byte = raw[index]
                        guard digits[2 * index] == StoredDigest.digit(byte >> 4),
                            digits[2 * index + 1] == StoredDigest.digit(byte & 0x0F)
                        else { return false }
                    }
                    return true
                }
            }
        }
    }
}
