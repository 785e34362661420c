import GatewayAuditCore

/// Generated VPN gateways and connections for large scenarios and benchmarks, deterministic for a seed.
///
/// Connection `i` links customer gateway `i % cgws.count` and VPN gateway `i % vgws.count` (its EIP 1 or
/// 2 alternately); every third connection is `BGP`, the others `STATIC`; every tenth goes `DOWN` one night
/// in seven.
public enum SyntheticVPN {
    /// `count` VPN gateways created an hour apart before `start`.
    public static func vpnGateways(_ count: Int, start: Instant, seed: UInt64 = 1) -> [SimulatedVPNGateway] {
        var generator = SeededGenerator(seed: seed ^ 0x7667_7700)
        return (0..<max(0, count)).map { i in
            let created = start.adding(seconds: -Int64(i + 1) * 3600).iso8601(fractionDigits: 3)
            func eip(_ k: Int) -> SimulatedEIP {
                SimulatedEIP(
                    id: generator.uuid(), ipAddress: "100.\(64 + k).\(i / 256 % 256).\(i % 256)",
                    bandwidthID: generator.uuid(), bandwidthName: "vgw-\(i)-bw\(k)")
            }
            return SimulatedVPNGateway(
                id: generator.uuid(), name: "vgw-\(i)", vpcID: generator.uuid(),
                localSubnets: ["10.\(128 + i / 256 % 128).\(i % 256).0/24"], connectSubnet: generator.uuid(),
                bgpASN: 64_512, eip1: eip(1), eip2: eip(2), createdAt: created)
        }
    }

    /// `count` connections over the given customer and VPN gateways (none when either list is empty).
    public static func connections(
        _ count: Int, customerGateways: [SimulatedGateway], vpnGateways: [SimulatedVPNGateway], start: Instant,
        seed: UInt64 = 1
    ) -> [SimulatedConnection] {
        guard !customerGateways.isEmpty, !vpnGateways.isEmpty else { return [] }
        var generator = SeededGenerator(seed: seed ^ 0xC0_2211)
        return (0..<max(0, count)).map { i in
            let cgw = customerGateways[i % customerGateways.count]
            let vgw = vpnGateways[i % vpnGateways.count]
            let vgwIP = vgw.addresses[i / vpnGateways.count % 2]
            let bgp = i % 3 == 0
            let tunnel = "169.254.\(i / 64 % 256)."
            let (local, peer) = (tunnel + String(i % 64 * 4 + 1), tunnel + String(i % 64 * 4 + 2))
            let created = start.adding(seconds: -Int64(i % 86_400) * 60 - 30).iso8601(fractionDigits: 3)
            return SimulatedConnection(
                id: generator.uuid(), name: "vpn-\(i)", vgwID: vgw.id, vgwIP: vgwIP, cgwID: cgw.id.rawValue,
                routing: bgp ? "BGP" : "STATIC",
                peerSubnets: ["172.\(16 + i / 65_536 % 16).\(i / 256 % 256).\(i % 256)/32"],
                tunnelLocalAddress: bgp ? local + "/30" : nil, tunnelPeerAddress: bgp ? peer + "/30" : nil,
                ikePolicy: SimulatedIKEPolicy(localID: vgwIP, peerIDType: cgw.idType, peerID: cgw.idValue),
                bgpPeer: bgp ? SimulatedBGPPeer(peerIPAddress: peer, peerASN: cgw.bgpASN ?? 65_000) : nil,
                downNights: i % 10 == 0 ? Array(stride(from: 1 + i / 10 % 7, through: 400, by: 7)) : [],
                createdAt: created)
        }
    }
}
