import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("faults per resource kind")
struct VPNFaultTests {
    @Test("forbidden on the connection list only: 403 VPN.0003 there, every other route answers")
    func forbiddenOneKind() async throws {
        try await SimulatorHarness.with { harness in
            let rule = await harness.cloud.addFault(FaultRule(.forbidden, routes: [.listConnections]))
            let refused = try await harness.send(.GET, harness.connectionsPath())
            #expect(refused.status == 403 && refused.errorCode == "VPN.0003")
            #expect(VPNJSON.keys(refused.json) == ["error_code", "error_msg", "request_id"])
            #expect(try await harness.send(.GET, harness.vpnGatewaysPath()).status == 200)
            #expect(try await harness.send(.GET, harness.gatewaysPath()).status == 200)
            let one = Scenario.standardConnectionID(1)
            #expect(try await harness.send(.GET, harness.connectionsPath("/\(one)")).status == 200)
            #expect(await harness.cloud.firings(of: rule).map(\.route) == [.listConnections])
        }
    }

    @Test("a forbidden rule posted as JSON to /_sim/faults refuses the VPN gateway list only")
    func forbiddenFromJSON() async throws {
        try await SimulatorHarness.with { harness in
            let rule = #"{"kind": {"forbidden": {}}, "routes": ["listVPNGateways"]}"#
            let added = try await harness.send(.POST, "/_sim/faults", credential: .none, body: Data(rule.utf8))
            #expect(added.status == 201)
            #expect(try await harness.send(.GET, harness.vpnGatewaysPath()).status == 403)
            #expect(try await harness.send(.GET, harness.connectionsPath()).status == 200)
            #expect(try await harness.send(.GET, harness.gatewaysPath()).status == 200)
        }
    }

    @Test("a fault can name one connection by id, like a customer gateway")
    func oneConnection() async throws {
        try await SimulatorHarness.with { harness in
            let id = Scenario.standardConnectionID(3)
            await harness.cloud.addFault(
                FaultRule(
                    .serverError(status: 503, code: "VPN.0014"), routes: [.getConnection], gateways: [GatewayID(id)]))
            let refused = try await harness.send(.GET, harness.connectionsPath("/\(id)"))
            #expect(refused.status == 503)
            let other = Scenario.standardConnectionID(4)
            let served = try await harness.send(.GET, harness.connectionsPath("/\(other)"))
            #expect(served.status == 200)
        }
    }
}
