import GatewayAuditCore
import GatewayAuditStore

/// The history view of VPN gateways: one row per snapshot or tombstone, with the VPN gateway's columns.
public struct VPNGatewayHistoryRow: ReportRow, KindHistoryRow {
    /// The snapshot.
    public let row: HistoryRow

    public static let columns: [ReportColumn<VPNGatewayHistoryRow>] =
        leadingColumns() + [
            content("name") { $0.string("name") },
            content("attachment_type") { $0.string("attachment_type") },
            content("network_type") { $0.string("network_type") },
            content("ip_version") { $0.string("ip_version") },
            content("vpc_id") { $0.string("vpc_id") },
            content("er_id") { $0.string("er_id") },
            content("local_subnets") { $0.flat("local_subnets") },
            content("connect_subnet") { $0.string("connect_subnet") },
            content("bgp_asn") { $0.flat("bgp_asn") },
            content("flavor") { $0.string("flavor") },
            content("availability_zone_ids") { $0.flat("availability_zone_ids") },
            content("ha_mode") { $0.string("ha_mode") },
            content("eip1") { $0.eip("eip1") },
            content("eip2") { $0.eip("eip2") },
            content("certificate_id") { $0.string("certificate_id") },
            content("ike_policy") { $0.flat("policy_template", "ike_policy") },
            content("ipsec_policy") { $0.flat("policy_template", "ipsec_policy") },
            content("tags") { $0.tags },
            timestamp("created_at", .createdAt),
            timestamp("applied_at", .appliedAt),
            timestamp("updated_at", .updatedAt),
            ReportColumn("content_sha256") { row, _ in row.row.contentSHA256 ?? "" },
        ] + scopeColumns()

    static let kind = ResourceKind.vpnGateway
    init(_ row: HistoryRow) { self.row = row }
}

/// The history view of VPN connections: one row per snapshot or tombstone, with the connection's columns.
public struct ConnectionHistoryRow: ReportRow, KindHistoryRow {
    /// The snapshot.
    public let row: HistoryRow

    public static let columns: [ReportColumn<ConnectionHistoryRow>] =
        leadingColumns() + [
            content("name") { $0.string("name") },
            content("vgw_id") { $0.string("vgw_id") },
            content("vgw_ip") { $0.string("vgw_ip") },
            content("cgw_id") { $0.string("cgw_id") },
            content("style") { $0.string("style") },
            content("peer_subnets") { $0.flat("peer_subnets") },
            content("tunnel_local_address") { $0.string("tunnel_local_address") },
            content("tunnel_peer_address") { $0.string("tunnel_peer_address") },
            content("enable_nqa") { $0.flat("enable_nqa") },
            content("enable_hub") { $0.flat("enable_hub") },
            content("policy_rules") { $0.flat("policy_rules") },
            content("ike_policy") { $0.flat("ikepolicy") },
            content("ipsec_policy") { $0.flat("ipsecpolicy") },
            content("bgp_peer_ip_address") { $0.flat("bgp_peer", "peer_ip_address") },
            content("bgp_peer_asn") { $0.flat("bgp_peer", "peer_asn") },
            content("ha_role") { $0.string("ha_role") },
            content("connection_monitor_id") { $0.string("connection_monitor_id") },
            content("tags") { $0.tags },
            timestamp("created_at", .createdAt),
            timestamp("updated_at", .updatedAt),
            ReportColumn("content_sha256") { row, _ in row.row.contentSHA256 ?? "" },
        ] + scopeColumns()

    static let kind = ResourceKind.vpnConnection
    init(_ row: HistoryRow) { self.row = row }
}

/// What the VPN gateway and connection history rows share: the snapshot columns, the content cells
/// (empty for a tombstone, highlighted when changed) and the store read narrowed to their kind.
protocol KindHistoryRow: ReportRow {
    static var kind: ResourceKind { get }
    var row: HistoryRow { get }
    init(_ row: HistoryRow)
}

extension KindHistoryRow {
    public var gatewayID: GatewayID { row.gatewayID }
    public var seq: Int64 { row.seq }
    public var isGone: Bool { row.state == .gone }

    public static func forEach(in store: any HistoryReading, _ filter: ReportFilter, _ body: (Self) throws -> Void)
        throws
    {
        var narrowed = filter
        narrowed.kinds = [kind]
        try store.forEachHistoryRow(narrowed) { try body(Self($0)) }
    }

    static func leadingColumns() -> [ReportColumn<Self>] {
        [
            ReportColumn("gateway_id", isResourceID: true) { row, _ in row.row.gatewayID.rawValue },
            ReportColumn("state") { row, _ in row.row.state.rawValue },
            ReportColumn("first_seen") { row, cells in cells.time(row.row.firstSeen) },
            ReportColumn("last_seen") { row, cells in cells.time(row.row.lastSeen) },
        ]
    }

    /// `account,region,project_id`, last, as in every view.
    static func scopeColumns() -> [ReportColumn<Self>] {
        [
            ReportColumn("account", isResourceID: true) { row, _ in row.row.scope.account },
            ReportColumn("region", isResourceID: true) { row, _ in row.row.scope.region },
            ReportColumn("project_id", isResourceID: true) { row, _ in row.row.scope.projectID },
        ]
    }

    static func content(_ name: String, _ cell: @escaping @Sendable (ResourceCells) -> String) -> ReportColumn<Self> {
        ReportColumn(
            name,
            highlight: .whenChanged(comparable: { previous, row in !previous.isGone && !row.isGone })
        ) { row, _ in
            row.row.resource.map { cell(ResourceCells(resource: $0)) } ?? ""
        }
    }

    static func timestamp(_ name: String, _ field: TimestampField) -> ReportColumn<Self> {
        ReportColumn(
            name,
            highlight: .whenChanged(comparable: { previous, row in !previous.isGone && !row.isGone })
        ) { row, cells in
            guard let resource = row.row.resource else { return "" }
            let text = resource.text(of: field)
            return cells.timestamp(text.flatMap(Timestamp.parsedIfValid), raw: text)
        }
    }
}

/// Cells read from a resource's JSON: scalars as sent, lists joined with `;`, objects as sorted
/// `key=value` pairs (nested keys dotted), so every value fits one CSV cell and compares as text.
struct ResourceCells {
    let resource: Resource

    func value(_ path: [String]) -> JSONValue? {
        var value: JSONValue? = resource.raw
        for key in path { value = value?[key] }
        return value
    }

    func string(_ key: String) -> String { value([key]).map(Self.flat) ?? "" }

    func flat(_ path: String...) -> String { value(path).map(Self.flat) ?? "" }

    /// An EIP as `address (id)`, or its id alone.
    func eip(_ key: String) -> String {
        guard let eip = value([key]) else { return "" }
        let address = eip["ip_address"]?.scalarText ?? ""
        let id = eip["id"]?.scalarText ?? ""
        return address.isEmpty ? id : id.isEmpty ? address : "\(address) (\(id))"
    }

    var tags: String {
        (value(["tags"])?.arrayValue ?? []).compactMap(Tag.init(json:)).sorted().map { "\($0.key)=\($0.value)" }
            .joined(separator: ";")
    }

    static func flat(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .array(let items):
            return items.map { item in item.objectValue != nil ? "{" + flat(item) + "}" : flat(item) }
                .joined(separator: ";")
        case .object:
            var pairs: [String] = []
            flatten(value, prefix: "", into: &pairs)
            return pairs.joined(separator: ";")
        default:
            return value.scalarText ?? value.canonicalJSON
        }
    }

    private static func flatten(_ value: JSONValue, prefix: String, into pairs: inout [String]) {
        guard let members = value.objectValue else {
            pairs.append(prefix + "=" + flat(value))
            return
        }
        for key in members.keys.sorted() {
            flatten(members[key] ?? .null, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &pairs)
        }
    }
}
