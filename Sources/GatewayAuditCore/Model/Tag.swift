/// A resource tag, `{"key": ..., "value": ...}`.
public struct Tag: Sendable, Hashable, Comparable, Codable {
    /// Tag key, 1–128 characters.
    public let key: String
    /// Tag value, 0–255 characters (absent is read as empty).
    public let value: String

    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Reads a tag object; nil when it has no string `key`.
    public init?(json: JSONValue) {
        guard let key = json["key"]?.stringValue else { return nil }
        self.init(key: key, value: json["value"]?.scalarText ?? "")
    }

    public static func < (lhs: Tag, rhs: Tag) -> Bool { (lhs.key, lhs.value) < (rhs.key, rhs.value) }
}
