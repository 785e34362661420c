import Foundation

/// A structural check of a JSON value against the JSON Schema subset reports/notification.schema.json
/// uses (type, const, enum, required, properties, additionalProperties: false, items, maxItems,
/// minimum, maximum, minLength, pattern, $ref to $defs, oneOf). The Python script validates the same
/// documents with the `jsonschema` package.
struct SchemaCheck {
    let root: [String: Any]

    static func load() throws -> SchemaCheck {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reports/notification.schema.json")
        guard let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return SchemaCheck(root: root)
    }

    /// Every place where `value` breaks the schema, as `path: problem`.
    func problems(_ value: Any) -> [String] {
        var found: [String] = []
        check(value, against: root, at: "$", into: &found)
        return found
    }

    private func check(_ value: Any, against schema: [String: Any], at path: String, into found: inout [String]) {
        if let ref = schema["$ref"] as? String, let name = ref.split(separator: "/").last,
            let defs = root["$defs"] as? [String: Any], let target = defs[String(name)] as? [String: Any]
        {
            check(value, against: target, at: path, into: &found)
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let matching = choices.filter { choice in
                var inner: [String] = []
                check(value, against: choice, at: path, into: &inner)
                return inner.isEmpty
            }
            if matching.count != 1 { found.append("\(path): matches \(matching.count) of oneOf") }
        }
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }),
            !types.contains(where: { Self.isType(value, $0) })
        {
            found.append("\(path): not \(types)")
            return
        }
        if let constant = schema["const"] as? String, value as? String != constant {
            found.append("\(path): not \(constant)")
        }
        if let options = schema["enum"] as? [String], !options.contains(value as? String ?? "\u{0}") {
            found.append("\(path): \(value) not in \(options)")
        }
        if let number = value as? NSNumber, !(value is Bool) {
            if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum {
                found.append("\(path): below minimum")
            }
            if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum {
                found.append("\(path): above maximum")
            }
        }
        if let text = value as? String {
            if let minimum = schema["minLength"] as? Int, text.count < minimum { found.append("\(path): too short") }
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): \(text) does not match \(pattern)")
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                found.append("\(path).\(key): missing")
            }
            if schema["additionalProperties"] as? Bool == false {
                for key in object.keys where properties[key] == nil {
                    found.append("\(path).\(key): not in the schema")
                }
            }
            for (key, property) in properties {
                if let inner = object[key] { check(inner, against: property, at: "\(path).\(key)", into: &found) }
            }
        }
        if let array = value as? [Any] {
            if let maximum = schema["maxItems"] as? Int, array.count > maximum {
                found.append("\(path): more than \(maximum) items")
            }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() {
                    check(item, against: items, at: "\(path)[\(index)]", into: &found)
                }
            }
        }
    }

    private static func isType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "boolean": return value is Bool
        case "integer":
            guard let number = value as? NSNumber, !(value is String) else { return false }
            return number.doubleValue == number.doubleValue.rounded()
        case "number": return value is NSNumber && !(value is String)
        default: return false
        }
    }
}
