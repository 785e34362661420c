/// The kinds of change the history records: field changes between snapshots and gateway events.
/// The text is what the `change` column, the change view and `when-changed` hold.
public enum ChangeKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A field that was absent now has a value.
    case added
    /// A field's value changed.
    case modified
    /// A field that had a value is absent.
    case removed
    /// The gateway was seen for the first time.
    case firstSeen = "first-seen"
    /// The gateway answered 404 after being present.
    case gone
    /// A gone gateway is back.
    case reappeared

    /// True for the field-level kinds (`added`, `modified`, `removed`).
    public var isFieldChange: Bool { self == .added || self == .modified || self == .removed }
}
