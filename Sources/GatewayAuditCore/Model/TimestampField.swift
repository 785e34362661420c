/// The timestamp fields of a customer gateway that the history parses, checks and reports.
/// The text is the flattened field path used in changes, anomalies and the timestamp view.
public enum TimestampField: String, Sendable, Hashable, Codable, CaseIterable {
    /// `created_at`: immutable once the gateway exists.
    case createdAt = "created_at"
    /// `updated_at`: moves with every edit.
    case updatedAt = "updated_at"
    /// `ca_certificate.expire_time`: the CA certificate's expiry.
    case caExpireTime = "ca_certificate.expire_time"
}
