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
        for path in Set(before.keys).union(after.keys).sorted(by: JSONValue.utf8Less) {
            if ignoredPaths.contains(path) { continue }
            switch (before[path], after[path]) {
            case (nil, let value?):
                changes.append(FieldChange(path: path, kind: .added, oldValue: nil, newValue: value.scalarText))
            case (let value?, nil):
                changes.append(FieldChange(path: path, kind: .removed, oldValue: value.scalarText, newValue: nil))
            case (let a?, let b?) where a != b:
                if timestampPaths.contains(path), sameMeaning(a, b) { continue }
                changes.append(FieldChange(path: path, kind: .modified, oldValue: a.scalarText, newValue: b.scalarText))
            default:
                continue
            }
        }
        return changes
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
