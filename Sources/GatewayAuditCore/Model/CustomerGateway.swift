import Crypto
import Foundation

/// A VPN customer gateway as the v5 API describes it, in either API generation or OTC's mix of both.
///
/// Every field but `id` is optional because every one is absent in some real response. The whole
/// object is kept in ``raw`` so unknown fields are stored, compared and reported like known ones.
public struct CustomerGateway: Sendable, Hashable, Identifiable {
    /// Members of the gateway object that change on every response without describing the gateway.
    public static let volatileKeys: Set<String> = Resource.volatileKeys

    /// The gateway's id (a UUID in practice; kept as sent).
    public let id: GatewayID
    /// Display name; updatable.
    public let name: String?
    /// `ip` or `fqdn` (current generation).
    public let idType: String?
    /// The IKE identity: an IPv4 address or an FQDN (current generation).
    public let idValue: String?
    /// BGP autonomous system number.
    public let bgpASN: Int64?
    /// `static` or `bgp` (older generation; OTC still sends it).
    public let routeMode: String?
    /// IPv4 address (older generation; OTC still sends it).
    public let ip: String?
    /// The bound CA certificate, when there is one.
    public let caCertificate: CACertificate?
    /// Tags as sent (nil when the member is absent, empty when sent empty).
    public let tags: [Tag]?
    /// `created_at` exactly as sent, even when it cannot be parsed.
    public let createdAtText: String?
    /// `updated_at` exactly as sent, even when it cannot be parsed.
    public let updatedAtText: String?
    /// The parsed `created_at`, nil when absent or not a valid timestamp.
    public let createdAt: Timestamp?
    /// The parsed `updated_at`, nil when absent or not a valid timestamp.
    public let updatedAt: Timestamp?
    /// The complete object as received, unknown members included.
    public var raw: JSONValue { resource.raw }
    /// ``canonicalContent`` as compact, sorted-key JSON (computed once, when decoded).
    public var canonicalJSON: String { resource.canonicalJSON }
    /// Lower-case hex SHA-256 of ``canonicalJSON``: equal exactly when the content is equal.
    public var contentSHA256: String { resource.contentSHA256 }
    /// The gateway as a resource of the history (kind `customer-gateway`).
    public let resource: Resource

    /// Reads a gateway from its JSON object.
    /// - Throws: ``ModelError/missingID(_:)`` when `id` is absent or empty,
    ///   ``ModelError/unexpectedShape(member:expected:)`` when the value is not an object.
    public init(json: JSONValue) throws(ModelError) {
        try self.init(resource: Resource(kind: .customerGateway, json: json))
    }

    /// The typed view of a customer-gateway resource (its members read from ``Resource/raw``).
    public init(resource: Resource) {
        self.resource = resource
        let members = resource.raw.objectValue ?? [:]
        id = resource.id
        name = members["name"]?.stringValue
        idType = members["id_type"]?.stringValue
        idValue = members["id_value"]?.stringValue
        bgpASN = members["bgp_asn"]?.integerValue
        routeMode = members["route_mode"]?.stringValue
        ip = members["ip"]?.stringValue
        caCertificate = members["ca_certificate"].flatMap(CACertificate.init(json:))
        tags = members["tags"]?.arrayValue.map { $0.compactMap(Tag.init(json:)) }
        createdAtText = members["created_at"]?.stringValue
        updatedAtText = members["updated_at"]?.stringValue
        createdAt = createdAtText.flatMap(Timestamp.parsedIfValid)
        updatedAt = updatedAtText.flatMap(Timestamp.parsedIfValid)
    }

    /// Parses a single-gateway JSON object (without envelope).
    /// - Throws: ``ModelError`` when the bytes are not JSON or not a gateway.
    public init(data: Data) throws(ModelError) {
        try self.init(json: JSONValue(data: data))
    }

    /// The content that defines this gateway's state: the raw object without ``volatileKeys``, with
    /// `tags` sorted by key and value (their order carries no meaning).
    public var canonicalContent: JSONValue { resource.canonicalContent }
}
