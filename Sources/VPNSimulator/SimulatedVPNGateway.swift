import GatewayAuditCore

/// One VPN gateway (the cloud end of a tunnel) as the simulator holds it: a scenario's description and
/// the live state `GET /v5/{project_id}/vpn-gateways` serves, field for field the SDK's `ResponseVpnGateway`.
///
/// Not sent, as the real API leaves them out for this kind of gateway: `er_id`, `er_attachment_id` (ER
/// attachments only), `local_subnets_v6` (IPv6 only), `access_private_ip_1`/`_2` (private network type
/// only), `upgrade_info` (only while an upgrade is pending), and `certificate_id` when nil (pre-shared key
/// gateways). `used_connection_number` and `used_connection_group` are counted from the live connections.
public struct SimulatedVPNGateway: Sendable, Hashable, Codable {
    /// Gateway id.
    public var id: String
    /// Display name.
    public var name: String
    /// `ACTIVE` (operational state).
    public var status: String
    /// The certificate of a certificate-authenticated gateway; nil for pre-shared keys.
    public var certificateID: String?
    /// The VPC it attaches to.
    public var vpcID: String
    /// Local subnets (CIDRs).
    public var localSubnets: [String]
    /// The VPC subnet the gateway uses.
    public var connectSubnet: String
    /// BGP AS number.
    public var bgpASN: Int64
    /// Flavor, e.g. `Professional1`.
    public var flavor: String
    /// Availability zones.
    public var availabilityZoneIDs: [String]
    /// Maximum number of connections.
    public var connectionNumber: Int64
    /// `active-active` or `active-standby`.
    public var haMode: String
    /// First EIP.
    public var eip1: SimulatedEIP
    /// Second EIP.
    public var eip2: SimulatedEIP
    /// `policy_template.ike_policy` (only its four template members are sent).
    public var ikeTemplate: SimulatedIKEPolicy
    /// `policy_template.ipsec_policy` (only its four template members are sent).
    public var ipsecTemplate: SimulatedIPsecPolicy
    /// Tags.
    public var tags: [Tag]
    /// `created_at` text; nil in a create event means the event time.
    public var createdAt: String?
    /// `applied_at` text; nil means `createdAt`.
    public var appliedAt: String?
    /// `updated_at` text; nil means `createdAt`.
    public var updatedAt: String?
    /// How timestamps the simulator writes for this gateway look.
    public var style: TimestampStyle

    /// Creates a VPN gateway description.
    public init(
        id: String, name: String, status: String = "ACTIVE", certificateID: String? = nil, vpcID: String,
        localSubnets: [String], connectSubnet: String, bgpASN: Int64 = 64_512, flavor: String = "Professional1",
        availabilityZoneIDs: [String] = ["eu-de-01", "eu-de-02"], connectionNumber: Int64 = 200,
        haMode: String = "active-active", eip1: SimulatedEIP, eip2: SimulatedEIP,
        ikeTemplate: SimulatedIKEPolicy = SimulatedIKEPolicy(localID: "", peerID: ""),
        ipsecTemplate: SimulatedIPsecPolicy = SimulatedIPsecPolicy(), tags: [Tag] = [], createdAt: String? = nil,
        appliedAt: String? = nil, updatedAt: String? = nil, style: TimestampStyle = .milliseconds
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.certificateID = certificateID
        self.vpcID = vpcID
        self.localSubnets = localSubnets
        self.connectSubnet = connectSubnet
        self.bgpASN = bgpASN
        self.flavor = flavor
        self.availabilityZoneIDs = availabilityZoneIDs
        self.connectionNumber = connectionNumber
        self.haMode = haMode
        self.eip1 = eip1
        self.eip2 = eip2
        self.ikeTemplate = ikeTemplate
        self.ipsecTemplate = ipsecTemplate
        self.tags = tags
        self.createdAt = createdAt
        self.appliedAt = appliedAt
        self.updatedAt = updatedAt
        self.style = style
    }

    /// The parsed `created_at`, for list order.
    var createdInstant: Instant {
        createdAt.flatMap { try? Timestamp(parsing: $0) }?.instant ?? Instant(seconds: 0)
    }

    /// The addresses a connection may use as `vgw_ip`.
    public var addresses: [String] { [eip1.ipAddress, eip2.ipAddress] }

    /// The `vpn_gateway` object as the API sends it, with the usage counted from its live connections.
    public func json(usedConnections: Int, usedGroups: Int) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "status": .string(status), "attachment_type": .string("vpc"),
            "ip_version": .string("ipv4"), "vpc_id": .string(vpcID),
            "local_subnets": .array(localSubnets.map(JSONValue.string)),
            "connect_subnet": .string(connectSubnet), "network_type": .string("public"),
            "access_vpc_id": .string(vpcID),
            "access_subnet_id": .string(connectSubnet), "bgp_asn": .integer(bgpASN), "flavor": .string(flavor),
            "availability_zone_ids": .array(availabilityZoneIDs.map(JSONValue.string)),
            "public_border_group": .string("center"), "connection_number": .integer(connectionNumber),
            "used_connection_number": .integer(Int64(usedConnections)),
            "used_connection_group": .integer(Int64(usedGroups)), "enterprise_project_id": .string("0"),
            "ha_mode": .string(haMode), "eip1": eip1.json, "eip2": eip2.json,
            "policy_template": .object([
                "ike_policy": ikeTemplate.templateJSON, "ipsec_policy": ipsecTemplate.templateJSON,
            ]),
            "supported_flavors": .array(["Professional1", "Professional2"].map(JSONValue.string)),
            "supported_features": .array(["ipv6", "bgp", "policy_template"].map(JSONValue.string)),
            "tags": .array(tags.map { .object(["key": .string($0.key), "value": .string($0.value)]) }),
        ]
        if let certificateID { members["certificate_id"] = .string(certificateID) }
        if let createdAt {
            members["created_at"] = .string(createdAt)
            members["applied_at"] = .string(appliedAt ?? createdAt)
            members["updated_at"] = .string(updatedAt ?? createdAt)
        }
        return .object(members)
    }
}
