extension JSONValue {
    /// Compact JSON with object keys sorted by their UTF-8 bytes and no insignificant whitespace, so
    /// equal values always produce equal text whatever order a server sent the keys in.
    public var canonicalJSON: String {
        var output = ""
        writeCanonical(to: &output)
        return output
    }

    /// Appends the canonical form to `output`.
    public func writeCanonical(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .unsignedInteger(let value): output += String(value)
        case .double(let value): output += JSONValue.canonicalNumber(value)
        case .string(let value): JSONValue.writeQuoted(value, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.writeCanonical(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted(by: JSONValue.utf8Less).enumerated() {
                if index > 0 { output += "," }
                JSONValue.writeQuoted(key, to: &output)
                output += ":"
                members[key, default: .null].writeCanonical(to: &output)
            }
            output += "}"
        }
    }

    package static func utf8Less(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
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

    private static func writeQuoted(_ value: String, to output: inout String) {
        output += "\""
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            output += value
            output += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
