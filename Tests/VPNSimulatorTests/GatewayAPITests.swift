import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("customer-gateway API: create, update, tags, delete")
struct GatewayAPITests {
    @Test("create, rename, tag and delete a gateway over HTTP")
    func lifecycle() async throws {
        try await SimulatorHarness.with { harness in
            let create =
                #"{"customer_gateway":{"name":"made-by-test","id_type":"ip","id_value":"10.0.0.1","bgp_asn":65001}}"#
            let created = try await harness.send(.POST, harness.gatewaysPath(), body: Data(create.utf8))
            #expect(created.status == 201)
            let gateway = try CustomerGatewayResponse(data: created.body).gateway
            #expect(gateway.name == "made-by-test" && gateway.bgpASN == 65001)
            #expect(gateway.createdAtText == "2025-03-01T02:00:00.000Z")
            #expect(created.headers.first(name: "X-Request-Id") == created.json?["request_id"]?.stringValue)

            await harness.cloud.advance(seconds: 90)
            let path = harness.gatewaysPath("/\(gateway.id.rawValue)")
            let rename =
                #"{"customer_gateway":{"name":"renamed","ca_certificate":{"content":"-----BEGIN CERTIFICATE-----"}}}"#
            let updated = try await harness.send(.PUT, path, body: Data(rename.utf8))
            #expect(updated.status == 200)
            let after = try CustomerGatewayResponse(data: updated.body).gateway
            #expect(after.name == "renamed" && after.caCertificate?.serialNumber != nil)
            #expect(after.updatedAtText == "2025-03-01T02:01:30.000Z")

            let tagPath = "/v5/\(harness.project)/customer-gateway/\(gateway.id.rawValue)/tags"
            let addTags = #"{"tags":[{"key":"owner","value":"sim"},{"key":"tier","value":"1"}]}"#
            #expect(try await harness.send(.POST, tagPath + "/create", body: Data(addTags.utf8)).status == 204)
            #expect(
                try await harness.send(.POST, tagPath + "/delete", body: Data(#"{"tags":[{"key":"tier"}]}"#.utf8))
                    .status == 204)
            let tagged = try CustomerGatewayResponse(data: try await harness.send(.GET, path).body).gateway
            #expect(tagged.tags == [Tag(key: "owner", value: "sim")])

            let deleted = try await harness.send(.DELETE, path)
            #expect(deleted.status == 204 && deleted.body.isEmpty)
            #expect(deleted.headers.first(name: "X-Request-Id") != nil)
            let gone = try await harness.send(.GET, path)
            #expect(gone.status == 404 && gone.errorCode == "VPN.0004")
            #expect(try await harness.send(.DELETE, path).status == 404)
        }
    }

    @Test("invalid bodies are rejected with 400 VPN.0001")
    func invalidBodies() async throws {
        try await SimulatorHarness.with { harness in
            for body in [
                #"{"customer_gateway":{"name":"x"}}"#, "not json",
                #"{"customer_gateway":{"id_value":"1.2.3.4","id_type":"dns"}}"#,
            ] {
                let answer = try await harness.send(.POST, harness.gatewaysPath(), body: Data(body.utf8))
                #expect(answer.status == 400 && answer.errorCode == "VPN.0001", "\(body)")
            }
        }
    }

    @Test("the admin route advances nights without credentials and reports the clock")
    func adminRoute() async throws {
        try await SimulatorHarness.with { harness in
            let state = try await harness.send(.POST, "/_sim/advance?nights=2", credential: .none)
            #expect(state.status == 200)
            #expect(state.json?["night"]?.integerValue == 2)
            #expect(state.json?["sdk_date"]?.stringValue == "20250303T020000Z")
            #expect(await harness.cloud.night == 2)
            let back = try await harness.send(.POST, "/_sim/advance?night=1", credential: .none)
            #expect(back.status == 400)
            // Values that are no whole number of nights, or past the last night, are refused; the clock stays put
            // and answers (a huge one overflowed, or walked night by night for ever).
            for query in ["nights=abc", "nights=-1", "night=1e12", "nights=\(Int.max)", "night=999999999999"] {
                let refused = try await harness.send(.POST, "/_sim/advance?\(query)", credential: .none)
                #expect(refused.status == 400, "\(query)")
            }
            #expect(await harness.cloud.night == 2)
            let still = try await harness.send(.GET, "/_sim/state", credential: .none)
            #expect(still.status == 200 && still.json?["night"]?.integerValue == 2)
        }
    }
}

@Suite("unknown routes")
struct UnknownRouteTests {
    @Test("a path outside the API answers 404 APIGW.0101 with a JSON body")
    func unknownRoute() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(.GET, "/v5/\(harness.project)/vpn-gizmos")
            #expect(answer.status == 404)
            #expect(answer.errorCode == "APIGW.0101")
        }
    }
}
