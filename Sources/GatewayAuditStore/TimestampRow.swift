import GatewayAuditCore

/// One timestamp field of one snapshot, with the anomalies found on it.
public struct TimestampRow: Sendable, Hashable {
    /// The gateway.
    public let gatewayID: GatewayID
    /// The snapshot.
    public let seq: Int64
    /// When the snapshot was first observed.
    public let firstSeen: Instant
    /// `created_at`, `updated_at`, `applied_at` or `ca_certificate.expire_time` (``ResourceKind/timestampFields``).
    public let field: String
    /// The text exactly as sent.
    public let raw: String
    /// The parsed value, nil when unparseable.
    public let timestamp: Timestamp?
    /// Anomalies on this field of this snapshot, in kind order.
    public let anomalies: [StoredAnomaly]
    /// The kind of the resource.
    public var kind: ResourceKind = .customerGateway
    /// The account, cloud, region and project of the gateway.
    public var scope = ScopeKey(projectID: "")
}

/// An anomaly as stored with its snapshot.
public struct StoredAnomaly: Sendable, Hashable {
    /// The gateway.
    public let gatewayID: GatewayID
    /// The snapshot it concerns.
    public let seq: Int64
    /// The field it concerns.
    public let field: String
    /// The kind.
    public let kind: AnomalyKind
    /// The evidence.
    public let detail: String
}
