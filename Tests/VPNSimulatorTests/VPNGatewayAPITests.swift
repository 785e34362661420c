import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("VPN gateway API: list and show with the SDK's fields")
struct VPNGatewayAPITests {
    private let v = Scenario.standardVPNGatewayID

    @Test("the list has no paging members; every gateway has exactly the ResponseVpnGateway fields sent")
    func listShape() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(.GET, harness.vpnGatewaysPath())
            #expect(answer.status == 200)
            #expect(VPNJSON.keys(answer.json) == ["vpn_gateways", "request_id"])
            #expect(answer.json?["request_id"]?.stringValue == answer.headers.first(name: "X-Request-Id"))
            let items = try #require(answer.json?["vpn_gateways"]?.arrayValue)
            #expect(items.compactMap { $0["id"]?.stringValue } == [v(3), v(2), v(1)], "newest first")
            for item in items {
                let certified = item["id"]?.stringValue == v(2)
                #expect(VPNJSON.keys(item) == VPNJSON.vpnGatewayFields.union(certified ? ["certificate_id"] : []))
                #expect(
                    VPNJSON.keys(item["eip1"]) == VPNJSON.eipFields && VPNJSON.keys(item["eip2"]) == VPNJSON.eipFields)
                #expect(VPNJSON.keys(item["policy_template"]) == ["ike_policy", "ipsec_policy"])
                #expect(
                    VPNJSON.keys(item["policy_template"]?["ike_policy"])
                        == ["encryption_algorithm", "dh_group", "authentication_algorithm", "lifetime_seconds"])
                #expect(
                    VPNJSON.keys(item["policy_template"]?["ipsec_policy"])
                        == ["authentication_algorithm", "encryption_algorithm", "pfs", "lifetime_seconds"])
                #expect(item["bgp_asn"]?.integerValue != nil && item["connection_number"]?.integerValue == 200)
                #expect(item["eip1"]?["bandwidth_size"]?.integerValue == 100)
                #expect(item["eip1"]?["ip_version"]?.integerValue == 4)
                #expect(item["local_subnets"]?.arrayValue?.isEmpty == false && item["status"] == "ACTIVE")
            }
            let first = try #require(items.last)
            #expect(first["name"] == "vgw-frankfurt-prod" && first["created_at"] == "2024-05-02T09:00:00.000Z")
            #expect(first["applied_at"] == "2024-05-02T09:00:00.000Z" && first["updated_at"] == first["created_at"])
            #expect(
                first["used_connection_number"]?.integerValue == 3 && first["used_connection_group"]?.integerValue == 2)
            #expect(
                items[1]["created_at"] == "2024-07-19T14:22:05.123456Z"
                    && items[0]["created_at"] == "2025-01-12T08:00:00Z")
        }
    }

    @Test("show equals the list item; the vgw_id filter; an unknown id is 404 VPN.0004")
    func show() async throws {
        try await SimulatorHarness.with { harness in
            let listed = try await harness.vpnGateways()
            for (id, item) in listed {
                let answer = try await harness.send(.GET, harness.vpnGatewaysPath("/\(id)"))
                #expect(answer.status == 200)
                #expect(VPNJSON.keys(answer.json) == ["vpn_gateway", "request_id"])
                #expect(answer.json?["vpn_gateway"] == item)
                let filtered = try await harness.send(.GET, harness.vpnGatewaysPath("?vgw_id=\(id)"))
                #expect(filtered.json?["vpn_gateways"]?.arrayValue == [item])
            }
            let missing = try await harness.send(.GET, harness.vpnGatewaysPath("/00000000-0000-4000-8000-000000000000"))
            #expect(missing.status == 404 && missing.errorCode == "VPN.0004")
            #expect(VPNJSON.keys(missing.json) == ["error_code", "error_msg", "request_id"])
            #expect(try await harness.send(.GET, harness.vpnGatewaysPath(), credential: .none).status == 401)
        }
    }

    @Test("no response carries a pre-shared key")
    func noSecrets() async throws {
        try await SimulatorHarness.with { harness in
            for path in [harness.vpnGatewaysPath(), harness.connectionsPath()] {
                let text = String(decoding: try await harness.send(.GET, path).body, as: UTF8.self).lowercased()
                #expect(!text.contains("psk") && !text.contains("password") && !text.contains("secret"))
            }
        }
    }
}
