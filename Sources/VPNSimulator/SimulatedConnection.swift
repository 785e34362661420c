import GatewayAuditCore

/// One VPN connection (a tunnel between a VPN gateway and a customer gateway) as the simulator holds it:
/// field for field the SDK's `ResponseVpnConnection`.
///
/// Configuration changes only through scenario events. Operational state is computed from the night:
/// `status` is `DOWN` on the nights in ``downNights`` and `ACTIVE` otherwise; `bgp_peer.state`,
/// `state_duration`, `num_received_routes`, `num_message_received` and `num_message_sent` move every night.
/// Not sent: `peer_subnets_v6`, `policy_rules_v6` (IPv6 only); `tunnel_local_address`,
/// `tunnel_peer_address` and `bgp_peer` only for `BGP`, `policy_rules` only for `POLICY`,
/// `connection_monitor_id` only with NQA. Never sent: the pre-shared key (write-only in the API).
public struct SimulatedConnection: Sendable, Hashable, Codable {
    /// Connection id.
    public var id: String
    /// Display name.
    public var name: String
    /// The VPN gateway's id.
    public var vgwID: String
    /// One of the VPN gateway's EIP addresses.
    public var vgwIP: String
    /// The customer gateway's id.
    public var cgwID: String
    /// `POLICY`, `STATIC` or `BGP` (the API's `style`).
    public var routing: String
    /// Peer subnets (CIDRs).
    public var peerSubnets: [String]
    /// Local tunnel address (`BGP` only).
    public var tunnelLocalAddress: String?
    /// Peer tunnel address (`BGP` only).
    public var tunnelPeerAddress: String?
    /// NQA enabled.
    public var enableNQA: Bool
    /// Connection monitor id (with NQA).
    public var connectionMonitorID: String?
    /// Policy rules (`POLICY` only).
    public var policyRules: [SimulatedPolicyRule]
    /// IKE policy.
    public var ikePolicy: SimulatedIKEPolicy
    /// IPsec policy.
    public var ipsecPolicy: SimulatedIPsecPolicy
    /// `master` or `slave`.
    public var haRole: String
    /// Tags.
    public var tags: [Tag]
    /// The BGP peer (`BGP` only).
    public var bgpPeer: SimulatedBGPPeer?
    /// Nights on which the tunnel is `DOWN`.
    public var downNights: [Int]
    /// `created_at` text; nil in a create event means the event time.
    public var createdAt: String?
    /// `updated_at` text; nil means `createdAt`.
    public var updatedAt: String?
    /// How timestamps the simulator writes for this connection look.
    public var style: TimestampStyle

    /// Creates a connection description.
    public init(
        id: String, name: String, vgwID: String, vgwIP: String, cgwID: String, routing: String = "STATIC",
        peerSubnets: [String], tunnelLocalAddress: String? = nil, tunnelPeerAddress: String? = nil,
        enableNQA: Bool = false, connectionMonitorID: String? = nil, policyRules: [SimulatedPolicyRule] = [],
        ikePolicy: SimulatedIKEPolicy, ipsecPolicy: SimulatedIPsecPolicy = SimulatedIPsecPolicy(),
        haRole: String = "master", tags: [Tag] = [], bgpPeer: SimulatedBGPPeer? = nil, downNights: [Int] = [],
        createdAt: String? = nil, updatedAt: String? = nil, style: TimestampStyle = .milliseconds
    ) {
        self.id = id
        self.name = name
        self.vgwID = vgwID
        self.vgwIP = vgwIP
        self.cgwID = cgwID
        self.routing = routing
        self.peerSubnets = peerSubnets
        self.tunnelLocalAddress = tunnelLocalAddress
        self.tunnelPeerAddress = tunnelPeerAddress
        self.enableNQA = enableNQA
        self.connectionMonitorID = connectionMonitorID
        self.policyRules = policyRules
        self.ikePolicy = ikePolicy
        self.ipsecPolicy = ipsecPolicy
        self.haRole = haRole
        self.tags = tags
        self.bgpPeer = bgpPeer
        self.downNights = downNights
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.style = style
    }

    /// The parsed `created_at`, for list order and markers.
    var createdInstant: Instant {
        createdAt.flatMap { try? Timestamp(parsing: $0) }?.instant ?? Instant(seconds: 0)
    }

    /// `ACTIVE`, or `DOWN` on one of ``downNights``.
    public func status(night: Int) -> String { downNights.contains(night) ? "DOWN" : "ACTIVE" }

    /// The `vpn_connection` object as the API sends it at night `night`'s run (`runTime`).
    public func json(night: Int, runTime: Instant) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "status": .string(status(night: night)),
            "vgw_id": .string(vgwID), "vgw_ip": .string(vgwIP), "style": .string(routing), "cgw_id": .string(cgwID),
            "peer_subnets": .array(peerSubnets.map(JSONValue.string)), "enable_nqa": .bool(enableNQA),
            "enable_hub": .bool(false), "ikepolicy": ikePolicy.json, "ipsecpolicy": ipsecPolicy.json,
            "enterprise_project_id": .string("0"), "ha_role": .string(haRole),
            "tags": .array(tags.map { .object(["key": .string($0.key), "value": .string($0.value)]) }),
        ]
        if let createdAt {
            members["created_at"] = .string(createdAt)
            members["updated_at"] = .string(updatedAt ?? createdAt)
        }
        if let tunnelLocalAddress { members["tunnel_local_address"] = .string(tunnelLocalAddress) }
        if let tunnelPeerAddress { members["tunnel_peer_address"] = .string(tunnelPeerAddress) }
        if let connectionMonitorID { members["connection_monitor_id"] = .string(connectionMonitorID) }
        if routing == "POLICY" { members["policy_rules"] = .array(policyRules.map(\.json)) }
        if let bgpPeer { members["bgp_peer"] = peerJSON(bgpPeer, night: night, runTime: runTime) }
        return .object(members)
    }
}
