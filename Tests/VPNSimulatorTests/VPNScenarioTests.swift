import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("the built-in scenario's VPN gateways and connections, night by night over HTTP")
struct VPNScenarioTests {
    private let c = Scenario.standardConnectionID
    private let v = Scenario.standardVPNGatewayID

    /// Night → (resource id → served object), VPN gateways and connections together, nights 0...30.
    private func nights(_ harness: SimulatorHarness) async throws -> [[String: JSONValue]] {
        var result: [[String: JSONValue]] = []
        for night in 0...30 {
            try await harness.cloud.advance(to: night)
            let vgws = try await harness.vpnGateways()
            let connections = try await harness.connections()
            result.append(vgws.merging(connections) { a, _ in a })
        }
        return result
    }

    @Test("configuration changes happen on their nights only; every other night moves only operational fields")
    func configurationChanges() async throws {
        try await SimulatorHarness.with { harness in
            let served = try await nights(harness)
            let expected: [Int: Set<String>] = [
                4: [c(4)], 9: [c(5)], 10: [v(2)], 13: [c(7)], 16: [c(8)], 18: [v(1)], 24: [c(3)],
            ]
            for night in 1...30 {
                let (before, after) = (served[night - 1], served[night])
                let ids = Set(before.keys).union(after.keys)
                let changed = ids.filter {
                    before[$0].map(VPNJSON.configuration) != after[$0].map(VPNJSON.configuration)
                }
                #expect(Set(changed) == expected[night, default: []], "night \(night)")
                // Every night, BGP counters and durations move on every BGP connection that exists both nights.
                for (id, item) in after where item["bgp_peer"] != nil {
                    guard let old = before[id]?["bgp_peer"], let new = item["bgp_peer"] else { continue }
                    var moving = ["state_duration", "num_message_received", "num_message_sent"]
                    // A session that is down on both nights receives no routes on either.
                    if old["state"] == "Established" || new["state"] == "Established" {
                        moving.append("num_received_routes")
                    }
                    for key in moving { #expect(old[key] != new[key], "night \(night) \(id) \(key)") }
                }
            }
        }
    }

    @Test("the events: IKE policy, subnets, certificate rotation, deletion and re-creation, IPsec policy")
    func events() async throws {
        try await SimulatorHarness.with { harness in
            let served = try await nights(harness)
            #expect(served[3][c(4)]?["ikepolicy"]?["encryption_algorithm"] == "aes-128")
            #expect(served[4][c(4)]?["ikepolicy"]?["encryption_algorithm"] == "aes-256")
            #expect(served[3][c(4)]?["updated_at"] == "2024-07-20T08:00:00.000000Z")
            #expect(served[4][c(4)]?["updated_at"] == "2025-03-04T15:00:00.000000Z")
            #expect(served[9][c(5)]?["peer_subnets"] == JSONValue.array(["10.99.0.0/24", "10.99.1.0/24"]))
            #expect(served[9][c(5)]?["updated_at"] == "2025-03-09T15:00:00Z")
            #expect(served[9][v(2)]?["certificate_id"] == "vgw-cert-0001")
            #expect(served[10][v(2)]?["certificate_id"] == "vgw-cert-0002")
            #expect(served[10][v(2)]?["updated_at"] == "2025-03-10T15:00:00.000000Z")
            #expect(served[12][c(7)] != nil && served[13][c(7)] == nil && served[15][c(8)] == nil)
            let recreated = try #require(served[16][c(8)])
            #expect(
                recreated["cgw_id"] == served[12][c(7)]?["cgw_id"] && recreated["vgw_id"] == served[12][c(7)]?["vgw_id"]
            )
            #expect(recreated["name"] == "paris-legacy" && recreated["created_at"] == "2025-03-16T15:00:00.000Z")
            #expect(served[12][v(3)]?["used_connection_number"]?.integerValue == 2)
            #expect(served[13][v(3)]?["used_connection_number"]?.integerValue == 1)
            #expect(served[16][v(3)]?["used_connection_number"]?.integerValue == 2)
            #expect(served[18][v(1)]?["local_subnets"] == JSONValue.array(["10.10.0.0/16", "10.11.0.0/16"]))
            #expect(served[24][c(3)]?["ipsecpolicy"]?["pfs"] == "group20")
            #expect(served[30][v(1)]?["status"] == "ACTIVE")
        }
    }

    @Test("status flaps ACTIVE/DOWN on the documented nights, bgp_peer.state with it")
    func flapping() async throws {
        try await SimulatorHarness.with { harness in
            let served = try await nights(harness)
            let down: [String: Set<Int>] = [c(2): [7, 8, 22], c(6): [3, 11, 12, 20]]
            for night in 0...30 {
                for (id, item) in served[night] where item["vgw_ip"] != nil {
                    let isDown = down[id]?.contains(night) == true
                    #expect(item["status"] == JSONValue.string(isDown ? "DOWN" : "ACTIVE"), "night \(night) \(id)")
                    if let peer = item["bgp_peer"] {
                        #expect(
                            peer["state"] == JSONValue.string(isDown ? "Idle" : "Established"), "night \(night) \(id)")
                    }
                }
            }
            // oslo-bgp goes DOWN at 14:15Z before run 3 and comes back at 14:20Z before run 4.
            #expect(served[3][c(6)]?["bgp_peer"]?["state_duration"] == "42300")
            #expect(served[4][c(6)]?["bgp_peer"]?["state_duration"] == "42000")
            #expect(served[5][c(6)]?["bgp_peer"]?["state_duration"] == "128400")
        }
    }

    @Test("scenario JSON: the VPN arrays are optional, and the standard scenario survives a round trip")
    func scenarioJSON() throws {
        let old = #"{"projectID": "p1", "start": "2025-03-01T02:00:00Z", "gateways": []}"#
        let decoded = try Scenario.decode(Data(old.utf8))
        #expect(decoded.vpnGateways.isEmpty && decoded.connections.isEmpty && decoded.vpnEvents.isEmpty)
        let standard = Scenario.standard
        #expect(try Scenario.decode(try standard.jsonData()) == standard)
        var broken = standard
        broken.connections[0].cgwID = "no-such-gateway"
        #expect(throws: SimulatorError.self) { try broken.validate() }
        broken = standard
        broken.connections[0].vgwIP = "192.0.2.1"
        #expect(throws: SimulatorError.self) { try broken.validate() }
    }
}
