import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("VPN connection API: list with paging, show, links")
struct ConnectionAPITests {
    private let c = Scenario.standardConnectionID

    /// Follows `next_marker` like an SDK caller: no de-duplication; stops on a page without one.
    static func follow(_ harness: SimulatorHarness, limit: Int) async throws -> [String] {
        var ids: [String] = []
        var marker: String?
        for _ in 0..<2_000 {
            var query = "?limit=\(limit)"
            if let marker { query += "&marker=" + PercentEncoding.encode(marker) }
            let answer = try await harness.send(.GET, harness.connectionsPath(query))
            try #require(answer.status == 200, "\(query): \(answer.errorMessage ?? "")")
            let items = try #require(answer.json?["vpn_connections"]?.arrayValue)
            ids += items.compactMap { $0["id"]?.stringValue }
            #expect(answer.json?["page_info"]?["current_count"]?.integerValue == Int64(items.count))
            guard let next = answer.json?["page_info"]?["next_marker"]?.stringValue, !next.isEmpty else { break }
            marker = next
        }
        return ids
    }

    @Test("fields per style: BGP with bgp_peer and tunnel addresses, POLICY with policy_rules, NQA with a monitor")
    func fieldSets() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(.GET, harness.connectionsPath())
            #expect(VPNJSON.keys(answer.json) == ["vpn_connections", "total_count", "page_info", "request_id"])
            #expect(answer.json?["total_count"]?.integerValue == 7)
            let items = try await harness.connections()
            #expect(Set(items.keys) == Set((1...7).map(c)))
            for (id, item) in items {
                var expected = VPNJSON.connectionFields
                if item["style"] == "BGP" {
                    expected.formUnion(["tunnel_local_address", "tunnel_peer_address", "bgp_peer"])
                }
                if item["style"] == "POLICY" { expected.insert("policy_rules") }
                if item["enable_nqa"]?.boolValue == true { expected.insert("connection_monitor_id") }
                #expect(VPNJSON.keys(item) == expected, "\(id)")
                #expect(VPNJSON.keys(item["ikepolicy"]) == VPNJSON.ikeFields)
                #expect(VPNJSON.keys(item["ikepolicy"]?["dpd"]) == ["interval", "timeout", "msg"])
                #expect(VPNJSON.keys(item["ipsecpolicy"]) == VPNJSON.ipsecFields)
                if let peer = item["bgp_peer"] {
                    #expect(VPNJSON.keys(peer) == VPNJSON.bgpPeerFields)
                    #expect(peer["peer_asn"]?.integerValue != nil && peer["state_duration"]?.stringValue != nil)
                    #expect(peer["num_message_sent"]?.integerValue != nil)
                }
            }
            #expect(items[c(1)]?["bgp_peer"]?["state"] == "Established")
            #expect(
                VPNJSON.keys(items[c(3)]?["policy_rules"]?.arrayValue?.first) == [
                    "rule_index", "source", "destination",
                ])
            #expect(items[c(5)]?["style"] == "STATIC" && items[c(5)]?["connection_monitor_id"] != nil)
            #expect(items[c(4)]?["ikepolicy"]?["encryption_algorithm"] == "aes-128")
            #expect(items[c(6)]?["created_at"] == "2024-08-14T03:00:00.000+02:00")
        }
    }

    @Test("every connection links a served customer gateway and VPN gateway, vgw_ip one of its EIPs, all nights")
    func links() async throws {
        try await SimulatorHarness.with { harness in
            for night in [0, 8, 12, 13, 16, 30] {
                try await harness.cloud.advance(to: night)
                let vgws = try await harness.vpnGateways()
                for (id, item) in try await harness.connections() {
                    let cgw = try #require(item["cgw_id"]?.stringValue)
                    #expect(try await harness.gateway(GatewayID(cgw)).status == 200, "night \(night) \(id) → \(cgw)")
                    let vgw = try #require(vgws[item["vgw_id"]?.stringValue ?? ""], "night \(night) \(id)")
                    let addresses = [vgw["eip1"]?["ip_address"], vgw["eip2"]?["ip_address"]]
                    #expect(addresses.contains(item["vgw_ip"]), "night \(night) \(id)")
                    let shown = try await harness.send(.GET, harness.connectionsPath("/\(id)"))
                    #expect(shown.status == 200 && shown.json?["vpn_connection"] == item)
                    #expect(VPNJSON.keys(shown.json) == ["vpn_connection", "request_id"])
                }
                for (id, vgw) in vgws {
                    let count = try await harness.send(.GET, harness.connectionsPath("?vgw_id=\(id)"))
                    #expect(vgw["used_connection_number"]?.integerValue == count.json?["total_count"]?.integerValue)
                }
            }
        }
    }

    @Test("following next_marker lists every connection exactly once, in list order, for several limits")
    func paging() async throws {
        try await SimulatorHarness.with { harness in
            let expected = await harness.cloud.liveConnections.map(\.id)
            #expect(expected.count == 7)
            for limit in [1, 2, 3, 5, 6, 7, 200] {
                let followed = try await Self.follow(harness, limit: limit)
                #expect(followed == expected, "limit \(limit)")
            }
            let tooLarge = try await harness.send(.GET, harness.connectionsPath("?limit=201"))
            #expect(tooLarge.status == 400 && tooLarge.errorCode == "VPN.0001")
            let missing = try await harness.send(.GET, harness.connectionsPath("/\(c(99))"))
            #expect(missing.status == 404 && missing.errorCode == "VPN.0004")
        }
        let scenario = Scenario.generated(gateways: 300, vpnGateways: 7, connections: 450)
        try await SimulatorHarness.with(scenario: scenario) { harness in
            let expected = await harness.cloud.liveConnections.map(\.id)
            #expect(expected.count == 450 && Set(expected).count == 450)
            for limit in [1, 7, 100, 199, 200] {
                let followed = try await Self.follow(harness, limit: limit)
                #expect(followed == expected, "limit \(limit)")
            }
        }
    }

    @Test("generated scenarios: vgws max(1, N/5), connection i on cgw i and vgw i % vgws")
    func generated() throws {
        let scenario = Scenario.generated(gateways: 50)
        #expect(scenario.gateways.count == 50 && scenario.vpnGateways.count == 10 && scenario.connections.count == 50)
        for (i, connection) in scenario.connections.enumerated() {
            #expect(connection.cgwID == scenario.gateways[i].id.rawValue)
            #expect(connection.vgwID == scenario.vpnGateways[i % 10].id)
            #expect(scenario.vpnGateways[i % 10].addresses.contains(connection.vgwIP))
        }
        #expect(throws: Never.self) { try scenario.validate() }
        #expect(Scenario.generated(gateways: 3).vpnGateways.count == 1)
        let year = SyntheticYear(gateways: 50)
        #expect(year.currentJSON == scenario.gateways.map(\.json), "the same customer gateways as the bench's year")
    }
}
