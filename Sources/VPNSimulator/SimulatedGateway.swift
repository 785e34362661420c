import GatewayAuditCore

/// One customer gateway as the simulator holds it: both a scenario's description of a gateway and the
/// live state the API serves.
///
/// Timestamps are kept as the exact text the API will send, so quirks (precision, offsets,
/// relabelling) survive unchanged between responses.
public struct SimulatedGateway: Sendable, Hashable, Codable {
    /// The gateway id.
    public var id: GatewayID
    /// Display name.
    public var name: String
    /// `ip` or `fqdn`.
    public var idType: String
    /// IPv4 address or FQDN.
    public var idValue: String
    /// BGP AS number, when the gateway has one.
    public var bgpASN: Int64?
    /// The bound CA certificate, when there is one.
    public var certificate: SimulatedCertificate?
    /// Tags, in the order they are sent.
    public var tags: [Tag]
    /// `created_at` text; nil in a scenario's create event means "when the event happens".
    public var createdAt: String?
    /// `updated_at` text; nil means the same as `createdAt`.
    public var updatedAt: String?
    /// The field set the gateway is rendered with.
    public var generation: GatewayGeneration
    /// How timestamps the simulator writes for this gateway (e.g. a new `updated_at`) look.
    public var style: TimestampStyle
    /// Extra members the API added over time; sent as they are.
    public var extraFields: [String: JSONValue]

    /// Creates a gateway description.
    public init(
        id: GatewayID, name: String, idType: String = "ip", idValue: String, bgpASN: Int64? = nil,
        certificate: SimulatedCertificate? = nil, tags: [Tag] = [], createdAt: String? = nil,
        updatedAt: String? = nil, generation: GatewayGeneration = .current, style: TimestampStyle = .milliseconds,
        extraFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.name = name
        self.idType = idType
        self.idValue = idValue
        self.bgpASN = bgpASN
        self.certificate = certificate
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.generation = generation
        self.style = style
        self.extraFields = extraFields
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, idType, idValue, bgpASN, certificate, tags, createdAt, updatedAt, generation, style, extraFields
    }

    /// Decodes a scenario entry; everything but `id`, `name` and `idValue` has a default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(GatewayID.self, forKey: .id),
            name: try c.decode(String.self, forKey: .name),
            idType: try c.decodeIfPresent(String.self, forKey: .idType) ?? "ip",
            idValue: try c.decode(String.self, forKey: .idValue),
            bgpASN: try c.decodeIfPresent(Int64.self, forKey: .bgpASN),
            certificate: try c.decodeIfPresent(SimulatedCertificate.self, forKey: .certificate),
            tags: try c.decodeIfPresent([Tag].self, forKey: .tags) ?? [],
            createdAt: try c.decodeIfPresent(String.self, forKey: .createdAt),
            updatedAt: try c.decodeIfPresent(String.self, forKey: .updatedAt),
            generation: try c.decodeIfPresent(GatewayGeneration.self, forKey: .generation) ?? .current,
            style: try c.decodeIfPresent(TimestampStyle.self, forKey: .style) ?? .milliseconds,
            extraFields: try c.decodeIfPresent([String: JSONValue].self, forKey: .extraFields) ?? [:])
    }

    /// The parsed `created_at`, used for ordering and list markers.
    var createdInstant: Instant {
        createdAt.flatMap { try? Timestamp(parsing: $0) }?.instant ?? Instant(seconds: 0)
    }

    /// The `customer_gateway` object exactly as the API sends it for this gateway's generation.
    public var json: JSONValue {
        var members = extraFields
        members["id"] = .string(id.rawValue)
        members["name"] = .string(name)
        if let createdAt { members["created_at"] = .string(createdAt) }
        if let stamp = updatedAt ?? createdAt { members["updated_at"] = .string(stamp) }
        let current = generation == .current || generation == .mixed
        let legacy = generation == .legacy || generation == .mixed
        if current {
            members["id_type"] = .string(idType)
            members["tags"] = .array(tags.map { .object(["key": .string($0.key), "value": .string($0.value)]) })
        }
        if current || generation == .minimal { members["id_value"] = .string(idValue) }
        if legacy {
            members["route_mode"] = .string(bgpASN == nil ? "static" : "bgp")
            members["ip"] = .string(idValue)
        }
        if generation != .minimal {
            if let bgpASN { members["bgp_asn"] = .integer(bgpASN) }
            if let certificate { members["ca_certificate"] = certificate.json }
        }
        return .object(members)
    }
}
