import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("list limits as the API reference documents them, and a list that leaves out items it counts")
struct ListLimitTests {
    @Test("the connection list takes limit 200 and refuses 201 and 2000 with 400 VPN.0001, as the gateway list does")
    func connectionLimit() async throws {
        try await SimulatorHarness.with { harness in
            let largest = try await harness.send(.GET, harness.connectionsPath("?limit=200"))
            #expect(largest.status == 200)
            #expect(largest.json?["vpn_connections"]?.arrayValue?.count == 7)
            for limit in ["201", "2000"] {
                for path in [harness.connectionsPath("?limit=" + limit), harness.gatewaysPath("?limit=" + limit)] {
                    let refused = try await harness.send(.GET, path)
                    #expect(refused.status == 400 && refused.errorCode == "VPN.0001", "\(path)")
                    let message = "invalid request: limit must be an integer from 0 to 200, got \"\(limit)\""
                    #expect(refused.errorMessage == message, "\(path)")
                }
            }
        }
    }

    @Test("omittedListItems leaves out the first items; current_count counts what is sent, total_count all of them")
    func omitted() async throws {
        try await SimulatorHarness.with { harness in
            let expected = await harness.cloud.liveGateways.map(\.id.rawValue)
            let rule = await harness.cloud.addFault(
                FaultRule(.omittedListItems(count: 2), routes: [.listGateways], count: 1))
            let short = try await harness.send(.GET, harness.gatewaysPath())
            #expect(short.status == 200)
            let ids = short.json?["customer_gateways"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
            #expect(ids == Array(expected.dropFirst(2)))
            #expect(short.json?["total_count"]?.integerValue == Int64(expected.count))
            #expect(short.json?["page_info"]?["current_count"]?.integerValue == Int64(expected.count - 2))
            let whole = try await harness.send(.GET, harness.gatewaysPath())
            #expect(whole.json?["customer_gateways"]?.arrayValue?.count == expected.count)
            #expect(await harness.cloud.firings(of: rule).map(\.route) == [.listGateways])
        }
    }

    @Test("an omittedListItems rule posted as JSON shortens the connection list only; a shown resource is whole")
    func omittedFromJSON() async throws {
        try await SimulatorHarness.with { harness in
            let rule = #"{"kind": {"omittedListItems": {"count": 1}}, "routes": ["listConnections", "getConnection"]}"#
            let added = try await harness.send(.POST, "/_sim/faults", credential: .none, body: Data(rule.utf8))
            #expect(added.status == 201)
            let short = try await harness.send(.GET, harness.connectionsPath())
            #expect(short.json?["vpn_connections"]?.arrayValue?.count == 6)
            #expect(short.json?["total_count"]?.integerValue == 7)
            #expect(short.json?["page_info"]?["current_count"]?.integerValue == 6)
            let one = Scenario.standardConnectionID(1)
            let shown = try await harness.send(.GET, harness.connectionsPath("/\(one)"))
            #expect(shown.status == 200 && shown.json?["vpn_connection"]?["id"]?.stringValue == one)
            let gateways = try await harness.send(.GET, harness.gatewaysPath())
            #expect(gateways.json?["customer_gateways"]?.arrayValue?.count == 13)
        }
    }
}
