/// The timestamp fields of a resource that the history parses, checks and reports (which ones a kind
/// has: ``ResourceKind/timestampFields``).
/// The text is the flattened field path used in changes, anomalies and the timestamp view.
public enum TimestampField: String, Sendable, Hashable, Codable, CaseIterable {
    /// `created_at`: immutable once the gateway exists.
    case createdAt = "created_at"
    /// `updated_at`: moves with every edit.
    case updatedAt = "updated_at"
    /// `applied_at` (VPN gateways): when the gateway's last change was applied.
    case appliedAt = "applied_at"
    /// `ca_certificate.expire_time`: the CA certificate's expiry.
    case caExpireTime = "ca_certificate.expire_time"

    /// The member path in the resource's JSON object.
    public var path: [String] {
        switch self {
        case .createdAt: ["created_at"]
        case .updatedAt: ["updated_at"]
        case .appliedAt: ["applied_at"]
        case .caExpireTime: ["ca_certificate", "expire_time"]
        }
    }
}
