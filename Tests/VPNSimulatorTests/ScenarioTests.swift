import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("the built-in scenario, night by night over HTTP")
struct ScenarioTests {
    private let g = Scenario.standardGatewayID

    private func fetch(_ harness: SimulatorHarness, _ id: GatewayID) async throws -> CustomerGateway {
        let answer = try await harness.gateway(id)
        #expect(answer.status == 200, "GET \(id)")
        return try CustomerGatewayResponse(data: answer.body).gateway
    }

    @Test("every documented change happens on its night, and nothing else changes")
    func nightByNight() async throws {
        try await SimulatorHarness.with { harness in
            var previous: [GatewayID: CustomerGateway] = [:]
            var changes: [Int: Set<GatewayID>] = [:]
            for night in 0...30 {
                try await harness.cloud.advance(to: night)
                let answer = try await harness.send(.GET, harness.gatewaysPath())
                let page = try CustomerGatewayPage(data: answer.body)
                var current: [GatewayID: CustomerGateway] = [:]
                for gateway in page.gateways { current[gateway.id] = gateway }
                if night > 0 {
                    let ids = Set(previous.keys).union(current.keys)
                    changes[night] = Set(ids.filter { previous[$0]?.canonicalJSON != current[$0]?.canonicalJSON })
                }
                previous = current
            }
            let expected: [Int: Set<GatewayID>] = [
                2: [g(14)], 3: [g(2)], 4: [g(1)], 5: [g(4)], 6: [g(15)], 7: [g(3)], 8: [g(6)], 9: [g(4)], 10: [g(5)],
                11: [g(10)], 12: [g(7), g(71)], 14: [g(4)], 15: [g(8)], 17: [g(2)], 19: [g(9)], 20: [g(11)], 21: [g(3)],
                23: [g(10)], 25: [g(8)], 28: [g(1)], 30: [g(1)],
            ]
            for night in 1...30 {
                #expect(changes[night, default: []] == expected[night, default: []], "night \(night)")
            }
        }
    }

    @Test("rename, certificate rotation, tags, delete and recreate look as documented")
    func changeKinds() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.cloud.advance(to: 2)
            let beforeRename = try await fetch(harness, g(2))
            try await harness.cloud.advance(to: 3)
            let renamed = try await fetch(harness, g(2))
            #expect(beforeRename.name == "branch-munich" && renamed.name == "branch-munich-2")
            #expect(renamed.updatedAtText == "2025-03-03T14:00:00.000Z")
            #expect(renamed.createdAtText == beforeRename.createdAtText)

            try await harness.cloud.advance(to: 5)
            #expect(
                try await fetch(harness, g(4)).tags?.sorted() == [
                    Tag(key: "cost-center", value: "4711"), Tag(key: "team", value: "net"),
                ])
            #expect(
                try await fetch(harness, g(4)).updatedAtText == "2025-01-10T10:00:00Z", "tags do not move updated_at")

            try await harness.cloud.advance(to: 7)
            let rotated = try await fetch(harness, g(3))
            #expect(rotated.caCertificate?.serialNumber == "0F00BA4002")
            #expect(rotated.caCertificate?.expireTimeText == "2026-03-20T00:00:00Z")
            #expect(rotated.updatedAtText == "2025-03-07T14:00:00.000000000Z")

            try await harness.cloud.advance(to: 8)
            let gone = try await harness.gateway(g(6))
            #expect(gone.status == 404 && gone.errorCode == "VPN.0004")

            try await harness.cloud.advance(to: 12)
            #expect(try await harness.gateway(g(7)).status == 404)
            let recreated = try await fetch(harness, g(71))
            #expect(recreated.idValue == "198.51.100.30" && recreated.name == "edge-vienna")
            #expect(recreated.createdAtText == "2025-03-12T14:00:00.000Z")
        }
    }

    @Test("timestamp quirks: relabelled offset, generation switch, drift, touch, reformat")
    func quirks() async throws {
        try await SimulatorHarness.with { harness in
            let first = try await fetch(harness, g(1))
            #expect(first.createdAtText == "2024-06-25T13:19:37.335+02:00")
            try await harness.cloud.advance(to: 4)
            let relabelled = try await fetch(harness, g(1))
            #expect(relabelled.createdAtText == "2024-06-25T13:19:37.335Z")
            let (a, b) = (try #require(first.createdAt), try #require(relabelled.createdAt))
            #expect(b.isRelabelling(of: a) && b.instant.seconds(since: a.instant) == 7200)

            #expect(try await fetch(harness, g(5)).routeMode == "static")
            #expect(try await fetch(harness, g(5)).idType == nil)
            try await harness.cloud.advance(to: 10)
            let mixed = try await fetch(harness, g(5))
            #expect(mixed.routeMode == "static" && mixed.ip == "192.0.2.55" && mixed.idValue == "192.0.2.55")

            try await harness.cloud.advance(to: 11)
            #expect(try await fetch(harness, g(10)).createdAtText == "2024-08-13T02:38:04.09035Z")

            let beforeTouch = try await fetch(harness, g(8))
            try await harness.cloud.advance(to: 15)
            let touched = try await fetch(harness, g(8))
            #expect(
                touched.updatedAtText == "2025-03-15T14:00:00.00Z"
                    && beforeTouch.updatedAtText == "2025-01-05T05:05:05.05Z")
            #expect(touched.name == beforeTouch.name && touched.createdAtText == beforeTouch.createdAtText)

            #expect(try await fetch(harness, g(9)).createdAtText == "2024-05-21T09:03:41.000000")
            try await harness.cloud.advance(to: 19)
            #expect(try await fetch(harness, g(9)).createdAtText == "2024-05-21T09:03:41.000Z")
            #expect(try await fetch(harness, g(9)).name == "=HYPERLINK(\"http://x\")")
            let minimal = try await fetch(harness, g(13))
            #expect(
                minimal.raw.objectValue.map { Set($0.keys) } == ["id", "name", "id_value", "created_at", "updated_at"])
            #expect(try await fetch(harness, g(8)).name == "<script>alert(1)</script>")
        }
    }

    @Test("the clock never goes back")
    func noGoingBack() async throws {
        let cloud = try SimulatedCloud()
        try await cloud.advance(to: 3)
        await #expect(throws: SimulatorError.cannotGoBack(requested: 2, current: 3)) { try await cloud.advance(to: 2) }
        #expect(await cloud.now == cloud.runTime(ofNight: 3))
    }

    @Test("the scenario survives a JSON round trip and replays identically")
    func deterministicAndCodable() async throws {
        let data = try Scenario.standard.jsonData()
        let decoded = try Scenario.decode(data)
        #expect(decoded == Scenario.standard)
        let one = try SimulatedCloud(scenario: decoded)
        let two = try SimulatedCloud()
        try await one.advance(to: 30)
        try await two.advance(to: 30)
        #expect(await one.liveGateways == two.liveGateways)
        let request = APIRequest(route: .listGateways, method: "GET", path: "/", projectID: one.projectID)
        let credentials = SimulatorCredentials(fixedTokens: ["t"])
        let three = try SimulatedCloud(credentials: credentials)
        let four = try SimulatedCloud(credentials: credentials)
        var withToken = request
        withToken.headers["x-auth-token"] = "t"
        #expect(await three.respond(to: withToken) == (await four.respond(to: withToken)))
    }

    @Test("an inconsistent scenario is refused with a message naming the problem")
    func invalidScenario() async throws {
        var scenario = Scenario.standard
        scenario.events.append(ScenarioEvent(night: 3, gateway: "nope", change: .touch))
        #expect(throws: SimulatorError.self) { try scenario.validate() }
        let text = #"{"projectID": "p", "start": "not a time"}"#
        #expect(throws: SimulatorError.self) { try Scenario.decode(Data(text.utf8)) }
    }
}
