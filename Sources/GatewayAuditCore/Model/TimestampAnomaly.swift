/// The kinds of timestamp and identity oddities the history can reveal.
public enum AnomalyKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Same wall-clock digits under a different offset: not a real change, but the instant moved.
    case offsetRelabelled = "offset-relabelled"
    /// Same instant, different text (precision or offset style).
    case reformatted
    /// `created_at` (immutable) denotes another instant than before.
    case createdAtChanged = "created-at-changed"
    /// `updated_at` went backwards.
    case updatedAtRegressed = "updated-at-regressed"
    /// `updated_at` is earlier than `created_at`.
    case updatedBeforeCreated = "updated-before-created"
    /// Content changed but `updated_at` did not.
    case changedWithoutUpdate = "changed-without-update"
    /// `updated_at` advanced but no content changed.
    case updateWithoutChange = "update-without-change"
    /// `id_type`, `id_value`, `bgp_asn`, `ip` or `route_mode` changed under the same id.
    case immutableFieldChanged = "immutable-field-changed"
    /// The timestamp was sent without an offset and was read as UTC.
    case noOffset = "no-offset"
    /// The timestamp lies after the observation time plus the tolerance.
    case inTheFuture = "in-the-future"
    /// The text is not a timestamp at all; only the raw text is kept.
    case unparseable

    /// One sentence for a human reader.
    public var explanation: String {
        switch self {
        case .offsetRelabelled:
            return
                "The same wall-clock digits arrived under a different UTC offset, so the instant moved although nothing was edited."
        case .reformatted:
            return "The same instant arrived written differently (precision or offset style); not a change."
        case .createdAtChanged:
            return "The creation time, which cannot change, now denotes a different instant."
        case .updatedAtRegressed:
            return "The last-update time went backwards."
        case .updatedBeforeCreated:
            return "The last-update time is earlier than the creation time."
        case .changedWithoutUpdate:
            return "The gateway's content changed but its last-update time did not."
        case .updateWithoutChange:
            return "The last-update time advanced but no content changed."
        case .immutableFieldChanged:
            return "A field the API documents as immutable changed under the same gateway id."
        case .noOffset:
            return "The timestamp carries no UTC offset; it was read as UTC."
        case .inTheFuture:
            return "The timestamp is later than the moment it was observed."
        case .unparseable:
            return "The value is not a valid timestamp; only its raw text is kept."
        }
    }
}

/// One anomaly found on a snapshot: which field, which kind, and the values that show it.
public struct TimestampAnomaly: Sendable, Hashable {
    /// The field concerned (`created_at`, `updated_at`, `ca_certificate.expire_time`, `id_value`, ...).
    public let field: String
    /// What kind of anomaly.
    public let kind: AnomalyKind
    /// The evidence, e.g. `2024-06-25T13:19:37.335+02:00 → 2024-06-25T13:19:37.335Z`.
    public let detail: String

    /// Creates an anomaly.
    public init(field: String, kind: AnomalyKind, detail: String) {
        self.field = field
        self.kind = kind
        self.detail = detail
    }
}
