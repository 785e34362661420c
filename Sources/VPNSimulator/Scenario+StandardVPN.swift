import GatewayAuditCore

extension Scenario {
    /// The id of VPN gateway `n` of the built-in scenario: `4b7e2c10-8d5a-4f36-b1c9-0000000000nn`.
    public static func standardVPNGatewayID(_ n: Int) -> String { numbered("4b7e2c10-8d5a-4f36-b1c9-", n) }

    /// The id of connection `n` of the built-in scenario: `9d3f6a21-2c4b-4e8d-a7f0-0000000000nn`.
    public static func standardConnectionID(_ n: Int) -> String { numbered("9d3f6a21-2c4b-4e8d-a7f0-", n) }

    private static func numbered(_ prefix: String, _ n: Int) -> String {
        let digits = String(n)
        return prefix + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// The built-in scenario's VPN gateways: 1 `vgw-frankfurt-prod`, 2 `vgw-amsterdam-cert` (certificate
    /// `vgw-cert-0001`), 3 `vgw-berlin-lab` (active-standby).
    static var standardVPNGateways: [SimulatedVPNGateway] {
        [
            vgw(1, "vgw-frankfurt-prod", subnets: ["10.10.0.0/16"], created: "2024-05-02T09:00:00.000Z"),
            vgw(
                2, "vgw-amsterdam-cert", subnets: ["10.20.0.0/16"], created: "2024-07-19T14:22:05.123456Z",
                style: TimestampStyle(fractionDigits: 6, designator: "Z"), certificate: "vgw-cert-0001"),
            vgw(
                3, "vgw-berlin-lab", subnets: ["10.30.0.0/24"], created: "2025-01-12T08:00:00Z",
                style: TimestampStyle(fractionDigits: 0, designator: "Z"), haMode: "active-standby"),
        ]
    }

    private static func vgw(
        _ n: Int, _ name: String, subnets: [String], created: String, style: TimestampStyle = .milliseconds,
        certificate: String? = nil, haMode: String = "active-active"
    ) -> SimulatedVPNGateway {
        func eip(_ k: Int) -> SimulatedEIP {
            SimulatedEIP(
                id: numbered("e1f0\(n)\(k)00-0000-4000-8000-", n * 10 + k), ipAddress: "80.158.\(n)0.\(n)\(k)",
                bandwidthID: numbered("b0d0\(n)\(k)00-0000-4000-8000-", n * 10 + k), bandwidthName: "\(name)-bw\(k)")
        }
        return SimulatedVPNGateway(
            id: standardVPNGatewayID(n), name: name, certificateID: certificate,
            vpcID: numbered("7c0e0000-0000-4000-8000-", n), localSubnets: subnets,
            connectSubnet: numbered("5b0e0000-0000-4000-8000-", n), bgpASN: 64_512 + Int64(n),
            flavor: certificate == nil ? "Professional1" : "Professional2", haMode: haMode, eip1: eip(1), eip2: eip(2),
            createdAt: created, updatedAt: nil, style: style)
    }

    /// The built-in scenario's connections at night 0 (see ``standard`` for the table).
    static var standardConnections: [SimulatedConnection] {
        let g = standardGatewayID
        let ms = TimestampStyle.milliseconds
        return [
            connection(
                1, "hq-frankfurt-bgp-1", cgw: g(1), peer: "203.0.113.10", vgw: 1, eip: 1, routing: "BGP",
                subnets: ["192.168.10.0/24"], created: "2024-06-26T10:00:00.000Z", style: ms, tunnel: 10),
            connection(
                2, "hq-frankfurt-bgp-2", cgw: g(1), peer: "203.0.113.10", vgw: 1, eip: 2, routing: "BGP",
                subnets: ["192.168.10.0/24"], created: "2024-06-26T10:00:00.000Z", style: ms, tunnel: 14,
                haRole: "slave", downNights: [7, 8, 22]),
            connection(
                3, "munich-policy", cgw: g(2), peer: "203.0.113.20", vgw: 1, eip: 1, routing: "POLICY",
                subnets: ["192.168.20.0/24"], created: "2024-11-03T07:00:00.5Z",
                style: TimestampStyle(fractionDigits: 1, designator: "Z")),
            connection(
                4, "amsterdam-static", cgw: g(3), peer: "198.51.100.7", vgw: 2, eip: 1, routing: "STATIC",
                subnets: ["172.16.30.0/24"], created: "2024-07-20T08:00:00.000000Z",
                style: TimestampStyle(fractionDigits: 6, designator: "Z")),
            connection(
                5, "berlin-lab-static", cgw: g(4), peer: "vpn.lab.example.com", vgw: 3, eip: 1, routing: "STATIC",
                subnets: ["10.99.0.0/24"], created: "2025-01-12T09:00:00Z",
                style: TimestampStyle(fractionDigits: 0, designator: "Z"), monitor: true),
            connection(
                6, "oslo-bgp", cgw: g(10), peer: "198.51.100.40", vgw: 2, eip: 2, routing: "BGP",
                subnets: ["172.16.60.0/24"], created: "2024-08-14T03:00:00.000+02:00",
                style: TimestampStyle(fractionDigits: 3, designator: "+02:00"), tunnel: 60, downNights: [3, 11, 12, 20]),
            connection(
                7, "paris-legacy", cgw: g(5), peer: "192.0.2.55", vgw: 3, eip: 2, routing: "STATIC",
                subnets: ["172.20.5.0/24"], created: "2022-01-10T12:00:00.000Z", style: ms),
        ]
    }

    static func connection(
        _ n: Int, _ name: String, cgw: GatewayID, peer: String, vgw: Int, eip: Int, routing: String,
        subnets: [String], created: String?, style: TimestampStyle, tunnel: Int? = nil, haRole: String = "master",
        downNights: [Int] = [], monitor: Bool = false
    ) -> SimulatedConnection {
        let vgwIP = "80.158.\(vgw)0.\(vgw)\(eip)"
        let local = standardVPNGateways[vgw - 1].localSubnets[0]
        return SimulatedConnection(
            id: standardConnectionID(n), name: name, vgwID: standardVPNGatewayID(vgw), vgwIP: vgwIP,
            cgwID: cgw.rawValue, routing: routing, peerSubnets: subnets,
            tunnelLocalAddress: tunnel.map { "169.254.\($0).1/30" },
            tunnelPeerAddress: tunnel.map { "169.254.\($0).2/30" },
            enableNQA: monitor, connectionMonitorID: monitor ? numbered("3a0c0000-0000-4000-8000-", n) : nil,
            policyRules: routing == "POLICY"
                ? [SimulatedPolicyRule(ruleIndex: 1, source: local, destination: subnets)] : [],
            ikePolicy: SimulatedIKEPolicy(
                localID: vgwIP, peerIDType: peer.first?.isNumber == true ? "ip" : "fqdn", peerID: peer),
            haRole: haRole, tags: [Tag(key: "env", value: "prod")],
            bgpPeer: tunnel.map { SimulatedBGPPeer(peerIPAddress: "169.254.\($0).2", peerASN: 65_000 + Int64($0)) },
            downNights: downNights, createdAt: created, style: style)
    }
}
