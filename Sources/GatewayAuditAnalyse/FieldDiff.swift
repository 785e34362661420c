import GatewayAuditCore

/// Field-level comparison of two gateway contents over flattened paths.
///
/// Objects flatten to dotted paths, `tags` (a list of `{key, value}`) flattens to `tags.<key>`, any
/// other list to `path[index]`. Unknown members are compared like known ones.
public enum FieldDiff {
    /// Timestamp fields: compared by meaning, so a relabelled or reformatted value is not a change
    /// (it is reported as a timestamp anomaly instead).
    public static let timestampPaths = Set(TimestampField.allCases.map(\.rawValue))
    /// Paths never reported as content changes: `updated_at` moves with every change and is shown
    /// beside each change as the API's own claim of when it happened.
    public static let ignoredPaths: Set<String> = [TimestampField.updatedAt.rawValue]

    /// The changes from `old` to `new`, sorted by path.
    public static func changes(from old: JSONValue, to new: JSONValue) -> [FieldChange] {
        let before = flatten(old)
        let after = flatten(new)
        var changes: [FieldChange] = []
        for key in Set(before.keys).union(after.keys).sorted(by: JSONValue.utf8Less) {
            if ignoredPaths.contains(key) { continue }
            let path = storable(key)
            switch (before[key], after[key]) {
            case (nil, let value?):
                changes.append(FieldChange(path: path, kind: .added, oldValue: nil, newValue: text(value)))
            case (let value?, nil):
                changes.append(FieldChange(path: path, kind: .removed, oldValue: text(value), newValue: nil))
            case (let a?, let b?) where a != b:
                if timestampPaths.contains(key), sameMeaning(a, b) { continue }
                changes.append(FieldChange(path: path, kind: .modified, oldValue: text(a), newValue: text(b)))
            default:
                continue
            }
        }
        return changes
    }

    /// A value's text as a change row holds it (``storable(_:)``).
    private static func text(_ value: JSONValue) -> String? { value.scalarText.map(storable) }

    /// `text` with each NUL character as U+FFFD: SQLite's text binding ends a value at its first NUL and
    /// PostgreSQL's text refuses one, so a change to or from a value holding one would be stored cut short
    /// (and then found to differ from its snapshots by `verify`) or not at all. The snapshot keeps the value
    /// exactly.
    public static func storable(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }

    /// Every leaf of `content` by flattened path.
    public static func flatten(_ content: JSONValue) -> [String: JSONValue] {
        var leaves: [String: JSONValue] = [:]
        flatten(content, prefix: "", into: &leaves)
        return leaves
    }

    private static func flatten(_ value: JSONValue, prefix: String, into leaves: inout [String: JSONValue]) {
        switch value {
        case .object(let members) where !members.isEmpty:
            for (key, member) in members {
                flatten(member, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &leaves)
            }
        case .array(let elements) where prefix == "tags" && elements.allSatisfy({ $0["key"]?.stringValue != nil }):
            if elements.isEmpty { leaves[prefix] = value }
            for element in elements {
                if let key = element["key"]?.stringValue {
                    leaves[prefix + "." + key] = element["value"] ?? .string("")
                }
            }
        case .array(let elements) where !elements.isEmpty:
            for (index, element) in elements.enumerated() {
                flatten(element, prefix: prefix + "[\(index)]", into: &leaves)
            }
        default:
            leaves[prefix] = value
        }
    }

    private static func sameMeaning(_ a: JSONValue, _ b: JSONValue) -> Bool {
        guard let textA = a.stringValue, let textB = b.stringValue,
            let first = Timestamp.parsedIfValid(textA), let second = Timestamp.parsedIfValid(textB)
        else { return false }
        return first.instant == second.instant || first.isRelabelling(of: second)
    }
}
