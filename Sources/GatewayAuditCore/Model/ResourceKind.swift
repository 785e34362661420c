/// The kinds of site-to-site VPN resource the history keeps, as written in reports and flags.
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// A customer gateway: the on-premises end of a tunnel.
    case customerGateway = "customer-gateway"
    /// A VPN gateway: the cloud end.
    case vpnGateway = "vpn-gateway"
    /// A VPN connection: one tunnel between a VPN gateway and a customer gateway.
    case vpnConnection = "vpn-connection"

    public var description: String { rawValue }

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.order < rhs.order }

    private var order: Int {
        switch self {
        case .customerGateway: 0
        case .vpnGateway: 1
        case .vpnConnection: 2
        }
    }

    /// The path segment under `/v5/{project_id}/` (the connection's is singular, as in the API).
    public var pathSegment: String {
        switch self {
        case .customerGateway: "customer-gateways"
        case .vpnGateway: "vpn-gateways"
        case .vpnConnection: "vpn-connection"
        }
    }

    /// The member holding one resource in a show response.
    public var singleMember: String {
        switch self {
        case .customerGateway: "customer_gateway"
        case .vpnGateway: "vpn_gateway"
        case .vpnConnection: "vpn_connection"
        }
    }

    /// The member holding the list in a list response.
    public var listMember: String { singleMember + "s" }

    /// Whether the list pages with `limit` and `marker` (the VPN gateway list does not).
    public var listPages: Bool { self != .vpnGateway }

    /// The largest `limit` the list accepts: 200 for customer gateways and VPN connections alike (the API
    /// reference of both lists: `limit` 0–200, default 200; a larger one is refused with `400 VPN.0001`).
    /// The VPN gateway list has no `limit`.
    public var maximumPageSize: Int { 200 }

    /// A short noun for messages ("customer gateway", "VPN connection").
    public var noun: String {
        switch self {
        case .customerGateway: "customer gateway"
        case .vpnGateway: "VPN gateway"
        case .vpnConnection: "VPN connection"
        }
    }

    /// Members that change without anyone editing the resource (run-time state). They never create a
    /// snapshot: their latest values are kept apart, and `status` gets its own history of windows.
    /// Paths are dotted (`bgp_peer.state`).
    public var operationalPaths: [String] {
        switch self {
        case .customerGateway: []
        case .vpnGateway: ["status", "used_connection_number", "used_connection_group", "upgrade_info"]
        case .vpnConnection:
            [
                "status", "bgp_peer.state", "bgp_peer.state_duration", "bgp_peer.num_received_routes",
                "bgp_peer.num_message_received", "bgp_peer.num_message_sent",
            ]
        }
    }

    /// The timestamp fields the history parses, checks and reports, in report order.
    public var timestampFields: [TimestampField] {
        switch self {
        case .customerGateway: [.createdAt, .updatedAt, .caExpireTime]
        case .vpnGateway: [.createdAt, .appliedAt, .updatedAt]
        case .vpnConnection: [.createdAt, .updatedAt]
        }
    }

    /// Fields the API documents (or the model implies) as fixed for a given id: a change is an anomaly.
    public var immutableFields: [String] {
        switch self {
        case .customerGateway: ["id_type", "id_value", "bgp_asn", "ip", "route_mode"]
        case .vpnGateway: ["attachment_type", "network_type", "ip_version", "vpc_id", "er_id", "bgp_asn"]
        case .vpnConnection: ["vgw_id", "vgw_ip", "style"]
        }
    }

    /// Parses a kind as written on the command line; nil when unknown.
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }

    /// Every kind, comma separated, for messages.
    public static let allNames = allCases.map(\.rawValue).joined(separator: ", ")
}
