import GatewayAuditCore

/// One line of a run's digest: a field change, a gateway event, a failed fetch or an anomaly.
public struct DigestEntry: Sendable, Hashable, Codable {
    /// What the entry reports.
    public enum Event: String, Sendable, Hashable, Codable, CaseIterable {
        /// A field that was absent now has a value.
        case added
        /// A field's value changed.
        case modified
        /// A field that had a value is absent.
        case removed
        /// A gateway seen for the first time.
        case firstSeen = "first-seen"
        /// A gateway that answered 404 after being present.
        case gone
        /// A gone gateway is back.
        case reappeared
        /// The gateway could not be fetched (recorded as a failed observation).
        case failed
        /// A timestamp or identity anomaly on the gateway's new snapshot.
        case anomaly
    }

    /// What happened.
    public let event: Event
    /// The gateway concerned.
    public let gatewayID: String
    /// The flattened field path (field changes and anomalies), else nil.
    public let field: String?
    /// The value before (field changes; for first-seen the gone gateway this one recreates), else nil.
    public let oldValue: String?
    /// The value after (field changes), else nil.
    public let newValue: String?
    /// When it was observed, RFC 3339 in UTC.
    public let observedAt: String?
    /// The failure's reason, or the anomaly's kind and evidence, else nil.
    public let detail: String?

    /// Creates an entry.
    public init(
        event: Event, gatewayID: String, field: String? = nil, oldValue: String? = nil, newValue: String? = nil,
        observedAt: Instant? = nil, detail: String? = nil
    ) {
        self.event = event
        self.gatewayID = gatewayID
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.observedAt = observedAt?.iso8601()
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case event, field, detail
        case gatewayID = "gateway_id"
        case oldValue = "old_value"
        case newValue = "new_value"
        case observedAt = "observed_at"
    }

    /// Encodes every key, `null` included, so receivers see one fixed shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event, forKey: .event)
        try container.encode(gatewayID, forKey: .gatewayID)
        try container.encode(field, forKey: .field)
        try container.encode(oldValue, forKey: .oldValue)
        try container.encode(newValue, forKey: .newValue)
        try container.encode(observedAt, forKey: .observedAt)
        try container.encode(detail, forKey: .detail)
    }
}
