import Crypto
import Foundation

/// One VPN resource (customer gateway, VPN gateway or VPN connection) as the v5 API describes it.
///
/// The whole object is kept in ``raw`` (secret members fingerprinted, see ``SecretFingerprint``), so
/// unknown members are stored, compared and reported like known ones. Its content splits in two:
/// the configuration (``canonicalJSON``, hashed and snapshotted when it changes) and the operational
/// state (``operationalJSON``: `status`, BGP counters…, kept as latest values only).
public struct Resource: Sendable, Hashable, Identifiable, CustomReflectable {
    /// Members that change on every response without describing the resource.
    public static let volatileKeys: Set<String> = ["request_id"]

    /// The values; equality, hashing and the mirror are theirs.
    private struct Values: Sendable, Hashable {
        let kind: ResourceKind
        let id: GatewayID
        let raw: JSONValue
        let canonicalJSON: String
        let contentSHA256: String
        let operationalJSON: String?
    }

    /// The values behind one reference: a resource is copied into every observation, prior state and write
    /// of a night, and a copy of this struct retains one object instead of each of its strings.
    private final class Storage: Sendable {
        let values: Values
        init(_ values: Values) { self.values = values }
    }

    private let storage: Storage

    /// What kind of resource this is.
    public var kind: ResourceKind { storage.values.kind }
    /// The resource's id (kept as sent).
    public var id: GatewayID { storage.values.id }
    /// The complete object as received, unknown members included, secret values fingerprinted.
    public var raw: JSONValue { storage.values.raw }
    /// The configuration content as compact, sorted-key JSON (computed once, when decoded).
    public var canonicalJSON: String { storage.values.canonicalJSON }
    /// Lower-case hex SHA-256 of ``canonicalJSON``: equal exactly when the configuration is equal.
    public var contentSHA256: String { storage.values.contentSHA256 }
    /// The operational members as compact, sorted-key JSON; nil when the kind has none or none was sent.
    public var operationalJSON: String? { storage.values.operationalJSON }

    /// Reads a resource of `kind` from its JSON object.
    /// - Throws: ``ModelError/missingID(_:)`` when `id` is absent or empty,
    ///   ``ModelError/unexpectedShape(member:expected:)`` when the value is not an object.
    public init(kind: ResourceKind, json: JSONValue) throws(ModelError) {
        guard let members = json.objectValue else {
            throw .unexpectedShape(member: kind.singleMember, expected: "an object")
        }
        guard let idText = members["id"]?.scalarText, !idText.isEmpty else {
            throw .missingID(Resource.context(of: members, kind: kind))
        }
        let raw = SecretFingerprint.containsSecret(json) ? SecretFingerprint.redacting(json) : json
        let (configuration, operational) = Resource.split(raw, kind: kind)
        let bytes = configuration.canonicalBytes
        storage = Storage(
            Values(
                kind: kind, id: GatewayID(idText), raw: raw, canonicalJSON: String(decoding: bytes, as: UTF8.self),
                contentSHA256: SHA256.hash(data: bytes).hexString, operationalJSON: operational.map(\.canonicalJSON)))
    }

    /// Equal when every value is (as a struct of them would be).
    public static func == (lhs: Resource, rhs: Resource) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.values == rhs.storage.values
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.values) }

    /// Whether `other` is this very value (one decoding, copied), not only an equal one.
    package func isSameObject(as other: Resource) -> Bool { storage === other.storage }

    /// The values (test failures, `dump`), not the object behind them.
    public var customMirror: Mirror { Mirror(reflecting: storage.values) }

    /// Parses one resource's JSON object (without envelope).
    /// - Throws: ``ModelError`` when the bytes are not JSON or not a resource.
    public init(kind: ResourceKind, data: Data) throws(ModelError) {
        try self.init(kind: kind, json: JSONValue(data: data))
    }

    /// The configuration that defines this resource's state: the raw object without
    /// ``volatileKeys`` and the kind's operational members, with `tags` sorted (their order carries no
    /// meaning).
    public var canonicalContent: JSONValue { Resource.split(raw, kind: kind).configuration }

    /// Display name.
    public var name: String? { raw["name"]?.stringValue }
    /// `status` as sent (operational: VPN gateways and connections).
    public var status: String? { raw["status"]?.scalarText }
    /// `created_at` exactly as sent.
    public var createdAtText: String? { text(of: .createdAt) }
    /// `updated_at` exactly as sent.
    public var updatedAtText: String? { text(of: .updatedAt) }
    /// The parsed `created_at`, nil when absent or not a valid timestamp.
    public var createdAt: Timestamp? { createdAtText.flatMap(Timestamp.parsedIfValid) }
    /// The parsed `updated_at`, nil when absent or not a valid timestamp.
    public var updatedAt: Timestamp? { updatedAtText.flatMap(Timestamp.parsedIfValid) }

    /// The text of a timestamp field, when sent as a string.
    public func text(of field: TimestampField) -> String? {
        var value: JSONValue? = raw
        for key in field.path { value = value?[key] }
        return value?.stringValue
    }

    /// The kind's timestamp fields in order: text as sent and the value parsed from it.
    public var timestamps: [(field: TimestampField, text: String?, parsed: Timestamp?)] {
        kind.timestampFields.map { field in
            let text = text(of: field)
            return (field, text, text.flatMap(Timestamp.parsedIfValid))
        }
    }

    /// The resources this one refers to: a connection's VPN gateway and customer gateway.
    public var links: [ResourceLink] {
        [ResourceKind.vpnGateway, .customerGateway].compactMap { target in
            link(to: target).map { ResourceLink(kind: target, id: $0) }
        }
    }

    /// The id of the linked resource of `kind` (a connection's `vgw_id` or `cgw_id`), if any.
    public func link(to kind: ResourceKind) -> GatewayID? {
        guard self.kind == .vpnConnection, kind != .vpnConnection else { return nil }
        let member = kind == .vpnGateway ? "vgw_id" : "cgw_id"
        guard let id = raw[member]?.stringValue, !id.isEmpty else { return nil }
        return GatewayID(id)
    }

    /// What identifies the remote end across a re-creation under a new id: a customer gateway's IKE
    /// identity (`id_value`, or `ip` in the older generation); nil for other kinds.
    public var identityValue: String? {
        guard kind == .customerGateway else { return nil }
        return raw["id_value"]?.stringValue ?? raw["ip"]?.stringValue
    }

    private static func split(_ raw: JSONValue, kind: ResourceKind) -> (
        configuration: JSONValue, operational: JSONValue?
    ) {
        guard var members = raw.objectValue else { return (raw, nil) }
        for key in volatileKeys { members[key] = nil }
        if case .array(let tagList)? = members["tags"] {
            members["tags"] = .array(
                tagList.sorted { $0.canonicalJSON.utf8.lexicographicallyPrecedes($1.canonicalJSON.utf8) })
        }
        var operational: [String: JSONValue] = [:]
        for path in kind.operationalPaths {
            let keys = path.split(separator: ".").map(String.init)
            if let value = remove(keys[...], from: &members) { insert(value, at: keys[...], into: &operational) }
        }
        return (.object(members), operational.isEmpty ? nil : .object(operational))
    }

    private static func remove(_ keys: ArraySlice<String>, from members: inout [String: JSONValue]) -> JSONValue? {
        guard let first = keys.first else { return nil }
        if keys.count == 1 { return members.removeValue(forKey: first) }
        guard case .object(var inner)? = members[first] else { return nil }
        let value = remove(keys.dropFirst(), from: &inner)
        members[first] = .object(inner)
        return value
    }

    private static func insert(_ value: JSONValue, at keys: ArraySlice<String>, into members: inout [String: JSONValue])
    {
        guard let first = keys.first else { return }
        if keys.count == 1 {
            members[first] = value
            return
        }
        var inner = members[first]?.objectValue ?? [:]
        insert(value, at: keys.dropFirst(), into: &inner)
        members[first] = .object(inner)
    }

    private static func context(of members: [String: JSONValue], kind: ResourceKind) -> String {
        if let name = members["name"]?.stringValue {
            return "\(kind == .customerGateway ? "gateway" : kind.noun) named \"\(name)\""
        }
        return "an object with members \(members.keys.sorted().joined(separator: ", "))"
    }
}
