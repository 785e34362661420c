/// One field-level difference between consecutive snapshots of a gateway.
public struct FieldChange: Sendable, Hashable {
    /// Flattened path: `name`, `ca_certificate.serial_number`, `tags.env`, `extra.list[0]`.
    public let path: String
    /// Added, modified or removed.
    public let kind: ChangeKind
    /// The value before (nil when added); strings unquoted, other values as compact JSON.
    public let oldValue: String?
    /// The value after (nil when removed).
    public let newValue: String?

    /// Creates a change.
    public init(path: String, kind: ChangeKind, oldValue: String?, newValue: String?) {
        self.path = path
        self.kind = kind
        self.oldValue = oldValue
        self.newValue = newValue
    }
}
