import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

func fixture(_ name: String) throws -> Data {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return try Data(contentsOf: url)
}

@Suite("CustomerGateway decoding in both API generations")
struct CustomerGatewayTests {
    @Test("current generation: every field, nested certificate and tags")
    func currentGeneration() throws {
        let response = try CustomerGatewayResponse(data: fixture("gateway-current.json"))
        let g = response.gateway
        #expect(response.requestID == "7d5e1b0c7f0e4c8b9d3a2f1e0d9c8b7a")
        #expect(g.id == "03c0aa3d-demo-4a01-9e3c-7c8b8a6e1f01")
        #expect(g.name == "cgw-2abf")
        #expect(g.idType == "ip")
        #expect(g.idValue == "10.12.13.21")
        #expect(g.bgpASN == 65533)
        #expect(g.routeMode == nil)
        #expect(g.ip == nil)
        #expect(g.caCertificate?.serialNumber == "5c4bd56d0da8a0c9e4b6d3e1b2ea1c0f")
        #expect(g.caCertificate?.expireTime?.utcText == "2027-06-25T13:19:37Z")
        #expect(g.caCertificate?.isUpdatable == true)
        #expect(g.tags == [Tag(key: "env", value: "prod"), Tag(key: "owner", value: "netops")])
        #expect(g.createdAt?.raw == "2024-06-25T13:19:37.335Z")
        #expect(g.updatedAt?.fractionDigits == "335")
    }

    @Test("older generation: route_mode and ip, no id_type")
    func legacyGeneration() throws {
        let g = try CustomerGatewayResponse(data: fixture("gateway-legacy.json")).gateway
        #expect(g.routeMode == "static")
        #expect(g.ip == "10.1.1.1")
        #expect(g.bgpASN == 65000)
        #expect(g.idType == nil)
        #expect(g.idValue == nil)
        #expect(g.tags == nil)
        #expect(g.caCertificate == nil)
    }

    @Test("OTC mixed form: both field sets, no-offset timestamps, the largest ASN")
    func otcMixed() throws {
        let g = try CustomerGatewayResponse(data: fixture("gateway-otc-mixed.json")).gateway
        #expect(g.routeMode == "bgp")
        #expect(g.idType == "ip")
        #expect(g.ip == "80.158.1.2")
        #expect(g.bgpASN == 4_294_967_295)
        #expect(g.tags == [])
        #expect(g.createdAt?.offset == .unstated)
        #expect(g.createdAt?.utcText == "2024-05-21T09:03:41.000000Z")
    }

    @Test("unknown fields, nested ones too, are kept in the raw object and the canonical form")
    func unknownNested() throws {
        let g = try CustomerGatewayResponse(data: fixture("gateway-unknown-nested.json")).gateway
        #expect(g.raw["ha_mode"]?["peers"] == .array([.integer(1), .integer(2)]))
        #expect(g.raw["ca_certificate"]?["fingerprint"]?["sha256"] == .string("ab:cd"))
        #expect(g.canonicalJSON.contains(#""fingerprint":{"sha1":"01:02","sha256":"ab:cd"}"#))
        #expect(g.createdAt?.instant.nanoseconds == 784_574_762)
    }

    @Test("list page: gateways in order, paging info, the minimal documented entry, an unparseable time kept as text")
    func listPage() throws {
        let page = try CustomerGatewayPage(data: fixture("list-page.json"))
        #expect(page.gateways.map(\.id) == ["g-3", "g-2", "g-1"])
        #expect(page.totalCount == 7)
        #expect(page.currentCount == 3)
        #expect(page.nextMarker == "2025-07-17T16:49:28.108+08:00")
        #expect(page.requestID == "list-1")
        let minimal = page.gateways[1]
        #expect(minimal.name == "minimal" && minimal.idValue == "10.0.0.2" && minimal.idType == nil)
        let old = page.gateways[2]
        #expect(old.updatedAtText == "not a time")
        #expect(old.updatedAt == nil)
        #expect(old.createdAt?.utcText == "2025-07-17T08:49:28.108Z")
    }

    @Test("a last page without page_info has no marker")
    func lastPage() throws {
        let page = try CustomerGatewayPage(data: Data(#"{"customer_gateways":[],"total_count":0}"#.utf8))
        #expect(page.gateways.isEmpty)
        #expect(page.nextMarker == nil)
        #expect(page.currentCount == nil)
    }

    @Test(
        "bodies that are not gateways give typed errors",
        arguments: [
            (#"{"customer_gateway":{"name":"x"}}"#, ModelError.missingID("gateway named \"x\"")),
            (#"{"customer_gateway":{"id":""}}"#, ModelError.missingID("an object with members id")),
            (#"{"error_code":"VPN.0004"}"#, ModelError.missingMember("customer_gateway", in: "the response")),
            (
                #"{"customer_gateway":[1]}"#,
                ModelError.unexpectedShape(member: "customer_gateway", expected: "an object")
            ),
        ])
    func rejects(body: String, error: ModelError) {
        #expect(throws: error) { try CustomerGatewayResponse(data: Data(body.utf8)) }
    }

    @Test("truncated JSON is an invalidJSON error, not a crash")
    func truncated() {
        #expect {
            try CustomerGatewayResponse(data: Data(#"{"customer_gateway":{"id":"a","na"#.utf8))
        } throws: { error in
            guard case ModelError.invalidJSON = error else { return false }
            return "\(error)".hasPrefix("response is not valid JSON")
        }
    }
}

@Suite("Canonical content and its hash")
struct CanonicalContentTests {
    @Test("key order, whitespace, request_id and tag order do not change the hash")
    func orderIndependent() throws {
        let a = try CustomerGateway(
            data: Data(
                #"{"id":"g","name":"n","tags":[{"key":"a","value":"1"},{"key":"b","value":"2"}],"request_id":"r1"}"#
                    .utf8))
        let b = try CustomerGateway(
            data: Data(
                "{ \"tags\": [{\"value\":\"2\",\"key\":\"b\"},{\"key\":\"a\",\"value\":\"1\"}],\n \"name\": \"n\", \"id\": \"g\", \"request_id\": \"r2\" }"
                    .utf8))
        #expect(a.canonicalJSON == #"{"id":"g","name":"n","tags":[{"key":"a","value":"1"},{"key":"b","value":"2"}]}"#)
        #expect(a.canonicalJSON == b.canonicalJSON)
        #expect(a.contentSHA256 == b.contentSHA256)
        #expect(a.contentSHA256.count == 64)
    }

    @Test(
        "any field change, including an unknown nested one, changes the hash",
        arguments: [
            #"{"id":"g","name":"n2","x":{"y":1}}"#,
            #"{"id":"g","name":"n","x":{"y":2}}"#,
            #"{"id":"g","name":"n","x":{"y":1,"z":null}}"#,
            #"{"id":"g","name":"n","x":{"y":"1"}}"#,
            #"{"id":"g","name":"n"}"#,
        ])
    func changes(body: String) throws {
        let base = try CustomerGateway(data: Data(#"{"id":"g","name":"n","x":{"y":1}}"#.utf8))
        let other = try CustomerGateway(data: Data(body.utf8))
        #expect(base.contentSHA256 != other.contentSHA256)
    }

    @Test("two resources decoded apart are equal exactly when every value is, and hash alike")
    func valueEquality() throws {
        let body = #"{"id":"g","name":"n","status":"ACTIVE","request_id":"r1"}"#
        let a = try Resource(kind: .vpnGateway, data: Data(body.utf8))
        let b = try Resource(kind: .vpnGateway, data: Data(body.utf8))
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        // The same configuration with another operational status, request id or kind is another value.
        let others = try [
            Resource(kind: .vpnGateway, data: Data(#"{"id":"g","name":"n","status":"FROZEN","request_id":"r1"}"#.utf8)),
            Resource(kind: .vpnGateway, data: Data(#"{"id":"g","name":"n","status":"ACTIVE","request_id":"r2"}"#.utf8)),
            Resource(kind: .customerGateway, data: Data(body.utf8)),
        ]
        for other in others { #expect(a != other) }
        #expect(others[0].contentSHA256 == a.contentSHA256)
        #expect(Set(others + [a, b]).count == 4)
        // The same members as another kind: only the kind differs.
        let plain = #"{"id":"g","name":"n"}"#
        let gateway = try Resource(kind: .vpnGateway, data: Data(plain.utf8))
        let connection = try Resource(kind: .vpnConnection, data: Data(plain.utf8))
        #expect(gateway.canonicalJSON == connection.canonicalJSON)
        #expect(gateway.operationalJSON == nil && connection.operationalJSON == nil)
        #expect(gateway != connection)
        // A failure message shows the values, not the object behind them.
        #expect(String(describing: a).contains(a.contentSHA256))
    }

    @Test("the hash of a known canonical text is fixed (changing canonicalisation breaks stored history)")
    func pinnedHash() throws {
        let g = try CustomerGateway(data: Data(#"{"name":"é\n\"q\"","id":"g","n":1.5,"u":18446744073709551615}"#.utf8))
        #expect(g.canonicalJSON == #"{"id":"g","n":1.5,"name":"é\n\"q\"","u":18446744073709551615}"#)
        #expect(g.contentSHA256 == "92012feeb44c0966078a503825eb272a33c305940ed41ee105b1c21ea62c8c4d")
    }
}
