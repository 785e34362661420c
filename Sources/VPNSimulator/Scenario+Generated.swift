import GatewayAuditCore

extension Scenario {
    /// A generated scenario for load: `gateways` customer gateways (the same as ``SyntheticYear``'s night 0
    /// for `seed`), `vpnGateways` VPN gateways (default `max(1, gateways / 5)`) and `connections`
    /// connections (default `gateways`; connection `i` uses customer gateway `i` and VPN gateway
    /// `i % vpnGateways`), starting 2025-01-01T02:00:00Z, with no events.
    public static func generated(
        gateways: Int, vpnGateways: Int? = nil, connections: Int? = nil, seed: UInt64 = 1
    ) -> Scenario {
        var generator = SeededGenerator(seed: seed)
        let cgws = (0..<max(0, gateways)).map { SyntheticYear.gateway($0, generator: &generator) }
        let vgws = SyntheticVPN.vpnGateways(vpnGateways ?? max(1, gateways / 5), start: SyntheticYear.start, seed: seed)
        let links = SyntheticVPN.connections(
            connections ?? gateways, customerGateways: cgws, vpnGateways: vgws, start: SyntheticYear.start, seed: seed)
        return Scenario(
            name: "generated-\(cgws.count)-\(vgws.count)-\(links.count)", seed: seed,
            projectID: "0b5c1e2f9a3d4e6f8a7b6c5d4e3f2a1b", start: SyntheticYear.start.iso8601(fractionDigits: 0),
            nights: 0, gateways: cgws, vpnGateways: vgws, connections: links)
    }
}
