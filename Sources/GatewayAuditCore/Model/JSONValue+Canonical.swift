import Foundation

extension JSONValue {
    /// Compact JSON with object keys sorted by their UTF-8 bytes and no insignificant whitespace, so
    /// equal values always produce equal text whatever order a server sent the keys in.
    public var canonicalJSON: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// ``canonicalJSON`` as UTF-8 bytes (what is hashed), written without building a string.
    public var canonicalBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        writeCanonical(to: &output)
        return output
    }

    /// Appends the canonical form's UTF-8 bytes to `output`. Every resource of every night goes through
    /// here, so it appends bytes: appending to a `String` cost a third of a night's parsing.
    public func writeCanonical(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .unsignedInteger(let value): output.append(contentsOf: String(value).utf8)
        case .double(let value): output.append(contentsOf: JSONValue.canonicalNumber(value).utf8)
        case .string(let value): JSONValue.writeQuoted(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for index in elements.indices {
                if index > elements.startIndex { output.append(UInt8(ascii: ",")) }
                elements[index].writeCanonical(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // Sorted as pairs: looking each sorted key up again hashed every member name twice.
            for (index, member) in members.sorted(by: { JSONValue.utf8Less($0.key, $1.key) }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.writeQuoted(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.writeCanonical(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    package static func utf8Less(_ lhs: String, _ rhs: String) -> Bool {
        let compared = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right -> Bool in
                let common = min(left.count, right.count)
                if common > 0, let a = left.baseAddress, let b = right.baseAddress {
                    let order = memcmp(a, b, common)
                    if order != 0 { return order < 0 }
                }
                return left.count < right.count
            }
        }
        return (compared ?? nil) ?? lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// A whole number is written with all its digits, so that the canonical text decodes back to the
    /// same value and so to the same text (`1e+16` would come back as the integer 10000000000000000).
    private static func canonicalNumber(_ value: Double) -> String {
        if !value.isFinite { return "null" }
        if value.rounded() == value {
            if value >= -9.223_372_036_854_775_808e18 && value < 9.223_372_036_854_775_808e18 {
                return String(Int64(value))
            }
            if value >= 0 && value < 1.844_674_407_370_955_161_6e19 { return String(UInt64(value)) }
        }
        return "\(value)"
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `value` in quotes: `"` and `\` escaped, the control characters as `\n`, `\r`, `\t`, `\b`, `\f`
    /// or `\u00xx` (lower-case hex); every other byte, non-ASCII included, as it is.
    private static func writeQuoted(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Nearly every string needs no escape: its bytes go in with one copy.
        let plain =
            value.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
                guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
                else { return false }
                output.append(contentsOf: bytes)
                return true
            } ?? false
        if plain {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x0A: output.append(contentsOf: #"\n"#.utf8)
            case 0x0D: output.append(contentsOf: #"\r"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case 0x08: output.append(contentsOf: #"\b"#.utf8)
            case 0x0C: output.append(contentsOf: #"\f"#.utf8)
            case 0..<0x20:
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
