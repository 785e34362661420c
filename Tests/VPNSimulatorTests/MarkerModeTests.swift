import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("plain created_at markers: inclusive and exclusive")
struct MarkerModeTests {
    private func scenario(_ mode: MarkerMode, _ base: Scenario = .tiedGroups(30, groupSize: 5)) -> Scenario {
        var scenario = base
        scenario.markerMode = mode
        return scenario
    }

    @Test("inclusive: next_marker is the last created_at as sent, and the next page starts with it and its ties")
    func inclusiveRepeats() async throws {
        try await SimulatorHarness.with(scenario: scenario(.inclusive)) { harness in
            let expected = await harness.cloud.liveGateways.map(\.id)
            let first = try CustomerGatewayPage(
                data: try await harness.send(.GET, harness.gatewaysPath("?limit=7")).body)
            let marker = try #require(first.nextMarker)
            #expect(marker == first.gateways.last?.createdAtText)
            let second = try await harness.send(
                .GET, harness.gatewaysPath("?limit=7&marker=" + PercentEncoding.encode(marker)))
            #expect(try CustomerGatewayPage(data: second.body).gateways.map(\.id) == Array(expected[5..<12]))
        }
    }

    @Test("inclusive: a page inside one group of equal created_at comes back unchanged for ever")
    func inclusiveStalls() async throws {
        try await SimulatorHarness.with(scenario: scenario(.inclusive)) { harness in
            let followed = try await PagingTests.follow(harness, limit: 5, budget: 20)
            #expect(!followed.ended)
            #expect(followed.unique.count == 5)
        }
        try await SimulatorHarness.with(scenario: scenario(.inclusive, .standard)) { harness in
            let followed = try await PagingTests.follow(harness, limit: 2, budget: 40)
            #expect(!followed.ended, "the three gateways sharing one created_at hold a page of 2 for ever")
            let wide = try await PagingTests.follow(harness, limit: 4)
            let all = await harness.cloud.liveGateways.map(\.id)
            #expect(wide.ended && wide.unique == all)
            #expect(wide.items.count > wide.unique.count, "a timestamp marker repeats the last item")
        }
    }

    @Test("exclusive: the next page starts strictly before the marker, skipping ties that did not fit")
    func exclusiveSkips() async throws {
        try await SimulatorHarness.with(scenario: scenario(.exclusive)) { harness in
            let followed = try await PagingTests.follow(harness, limit: 2)
            #expect(followed.ended)
            #expect(followed.items.count == 12, "two of each group of five")
            #expect(followed.unique == followed.items)
            let whole = try await PagingTests.follow(harness, limit: 5)
            let all = await harness.cloud.liveGateways.map(\.id)
            #expect(whole.items == all)
        }
    }

    @Test("the mode comes from the scenario JSON (composite when omitted) and shows in /_sim/state")
    func modeFromScenario() async throws {
        let base = #"{"projectID": "p", "start": "2025-03-01T02:00:00Z""#
        #expect(try Scenario.decode(Data((base + "}").utf8)).markerMode == .composite)
        #expect(try Scenario.decode(Data((base + #", "markerMode": "exclusive"}"#).utf8)).markerMode == .exclusive)
        #expect(throws: SimulatorError.self) {
            try Scenario.decode(Data((base + #", "markerMode": "sideways"}"#).utf8))
        }
        try await SimulatorHarness.with(scenario: scenario(.inclusive)) { harness in
            let state = try await harness.send(.GET, "/_sim/state", credential: .none)
            #expect(state.json?["marker_mode"]?.stringValue == "inclusive")
        }
    }
}
