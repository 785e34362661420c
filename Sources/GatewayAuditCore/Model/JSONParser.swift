import Foundation

/// A strict RFC 8259 parser from UTF-8 bytes straight to ``JSONValue``: no intermediate Foundation
/// objects, no exceptions per value, exact integers, and a nesting limit so hostile input cannot
/// exhaust the stack.
struct JSONParser {
    static let maximumDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    /// The members of the objects being read, innermost last: each object's dictionary is made once,
    /// at its final size (growing one member by member rehashed it several times per object).
    private var pending: [(key: String, value: JSONValue)] = []

    /// Parses a whole document.
    /// - Throws: ``ModelError/invalidJSON(_:)`` naming the byte offset and what was expected.
    static func parse(_ data: Data) throws(ModelError) -> JSONValue {
        var parser = JSONParser(bytes: [UInt8](data))
        // A UTF-8 byte order mark (Windows tools write one) is skipped; offsets stay the file's.
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        if parser.index != parser.bytes.count { throw parser.error("end of input") }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func error(_ expected: String) -> ModelError {
        let found = index < bytes.count ? foundCharacter : "the end of the data"
        return .invalidJSON("expected \(expected) at \(position), found \(found)")
    }

    /// Where the parser stands: the byte offset, and, in a document of several lines (a saved file), the
    /// line and the column (in Unicode scalars, from 1) an editor shows.
    private var position: String {
        let end = min(index, bytes.count)
        guard bytes.contains(0x0A) else { return "byte \(index)" }
        let lineStart = bytes[..<end].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = bytes[..<end].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        // UTF-8 continuation bytes (10xxxxxx) do not start a scalar.
        let column = bytes[lineStart..<end].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return "line \(line), column \(column) (byte \(index))"
    }

    /// The character at the parser's position, quoted as JSON writes it: a quote, a backslash, control
    /// characters and bidirectional overrides escaped (an error stays one line and cannot drive a
    /// terminal), a multi-byte UTF-8 character whole (one that is not valid UTF-8 as U+FFFD).
    private var foundCharacter: String {
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        let text = String(decoding: bytes[index..<min(index + length, bytes.count)], as: UTF8.self)
        guard let scalar = text.unicodeScalars.first else { return "\"\u{FFFD}\"" }
        switch scalar {
        case "\"": return #""\"""#
        case "\\": return #""\\""#
        case "\n": return #""\n""#
        case "\r": return #""\r""#
        case "\t": return #""\t""#
        case _
        where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value):
            return "\"\\u" + String(format: "%04X", scalar.value) + "\""
        default: return "\"\(Character(scalar))\""
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
        {
            index += 1
        }
    }

    private mutating func value() throws(ModelError) -> JSONValue {
        guard index < bytes.count else { throw error("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("a value")
        }
    }

    private mutating func literal(_ text: String, _ value: JSONValue) throws(ModelError) -> JSONValue {
        for byte in text.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw error("\(text)") }
            index += 1
        }
        return value
    }

    private mutating func enter() throws(ModelError) {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw .invalidJSON("nested deeper than \(JSONParser.maximumDepth) levels at \(position)")
        }
    }

    private mutating func object() throws(ModelError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        let first = pending.count
        defer { pending.removeSubrange(first...) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("a member name") }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("\":\"") }
            index += 1
            skipWhitespace()
            let member = try value()
            pending.append((key, member))
            skipWhitespace()
            guard index < bytes.count else { throw error("\",\" or \"}\"") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw error("\",\" or \"}\"") }
            index += 1
            // A repeated name keeps its last value, as assigning member by member did.
            var members = [String: JSONValue](minimumCapacity: pending.count - first)
            for position in first..<pending.count { members[pending[position].key] = pending[position].value }
            return .object(members)
        }
    }

    private mutating func array() throws(ModelError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw error("\",\" or \"]\"") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw error("\",\" or \"]\"") }
            index += 1
            return .array(elements)
        }
    }

    private mutating func string() throws(ModelError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("no control character inside a string") }
            index += 1
        }
        var scalars: [UInt8] = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            }
            if byte < 0x20 { throw error("no control character inside a string") }
            if byte != UInt8(ascii: "\\") {
                scalars.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { throw error("an escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    index += 2
                    let low = try hex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalars.append(contentsOf: Array("\u{FFFD}".utf8))
                        code = low
                    }
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                index -= 1
                throw error("a valid escape")
            }
        }
        throw error("the closing quote of a string")
    }

    private mutating func hex4() throws(ModelError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("4 hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("4 hex digits")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private mutating func number() throws(ModelError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("a digit after the decimal point") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("an exponent digit") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral {
            if let value = Int64(text) { return .integer(value) }
            if let value = UInt64(text) { return .unsignedInteger(value) }
        }
        guard let value = Double(text), value.isFinite else {
            // Valid JSON, but beyond a double: said where, as a syntax error is.
            index = start
            throw .invalidJSON("number \(text.prefix(40))\(text.count > 40 ? "…" : "") at \(position) is out of range")
        }
        return .double(value)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
