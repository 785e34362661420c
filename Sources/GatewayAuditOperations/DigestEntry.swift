import GatewayAuditCore

/// One line of a run's digest: a field change, a gateway event, a failed fetch or an anomaly.
public struct DigestEntry: Sendable, Hashable, Codable {
    /// What the entry reports: a change the history recorded (its kind, as the change view names it),
    /// a failed fetch, or an anomaly. Written as its text: `modified`, `first-seen`, `failed`, `anomaly`.
    public enum Event: Sendable, Hashable, Codable, RawRepresentable {
        /// A field change or gateway event.
        case change(ChangeKind)
        /// The gateway could not be fetched (recorded as a failed observation).
        case failed
        /// A timestamp or identity anomaly on the gateway's new snapshot.
        case anomaly

        /// Reads the text form.
        public init?(rawValue: String) {
            switch rawValue {
            case "failed": self = .failed
            case "anomaly": self = .anomaly
            default:
                guard let kind = ChangeKind(rawValue: rawValue) else { return nil }
                self = .change(kind)
            }
        }

        /// The text form.
        public var rawValue: String {
            switch self {
            case .change(let kind): return kind.rawValue
            case .failed: return "failed"
            case .anomaly: return "anomaly"
            }
        }
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
    /// The resource's kind (`customer-gateway`, `vpn-gateway`, `vpn-connection`); nil only for an id the
    /// history does not know (never the case for what a run recorded).
    public let resourceKind: ResourceKind?

    /// Creates an entry.
    public init(
        event: Event, gatewayID: String, field: String? = nil, oldValue: String? = nil, newValue: String? = nil,
        observedAt: Instant? = nil, detail: String? = nil, resourceKind: ResourceKind? = nil
    ) {
        self.event = event
        self.gatewayID = gatewayID
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.observedAt = observedAt?.iso8601()
        self.detail = detail
        self.resourceKind = resourceKind
    }

    enum CodingKeys: String, CodingKey {
        case event, field, detail
        case gatewayID = "gateway_id"
        case oldValue = "old_value"
        case newValue = "new_value"
        case observedAt = "observed_at"
        case resourceKind = "resource_kind"
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
        try container.encode(resourceKind?.rawValue, forKey: .resourceKind)
    }
}
