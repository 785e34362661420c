import Foundation
import GatewayAudit
import Testing
import VPNSimulator

/// What following `next_marker` produced.
struct FollowedList {
    /// Every item of every page, in order, duplicates included.
    var items: [GatewayID] = []
    /// Pages requested.
    var pages = 0
    /// False when the page budget ran out before a short page or a page without `next_marker`.
    var ended = false

    var unique: [GatewayID] {
        var seen = Set<GatewayID>()
        return items.filter { seen.insert($0).inserted }
    }
}

@Suite("list paging with a created_at marker")
struct PagingTests {
    /// Follows `next_marker` exactly like a caller of the official SDK's `list_cgws` (which has no pager):
    /// no de-duplication, no widening; stops on a short page or a page without `next_marker`.
    static func follow(_ harness: SimulatorHarness, limit: Int, budget: Int = 300) async throws -> FollowedList {
        var result = FollowedList()
        var marker: String?
        while result.pages < budget {
            var query = "?limit=\(limit)"
            if let marker { query += "&marker=" + PercentEncoding.encode(marker) }
            let answer = try await harness.send(.GET, harness.gatewaysPath(query))
            try #require(answer.status == 200, "\(query): \(answer.errorMessage ?? "")")
            let page = try CustomerGatewayPage(data: answer.body)
            result.pages += 1
            result.items += page.gateways.map(\.id)
            guard let next = page.nextMarker, (page.currentCount ?? page.gateways.count) >= limit else {
                result.ended = true
                break
            }
            marker = next
        }
        return result
    }

    @Test(
        "default markers: following next_marker alone lists every gateway exactly once, for every limit 1...200",
        arguments: ["tied", "standard"])
    func everyLimitExactlyOnce(scenarioName: String) async throws {
        let scenario = scenarioName == "tied" ? Scenario.tiedGroups(30, groupSize: 5) : Scenario.standard
        try await SimulatorHarness.with(scenario: scenario) { harness in
            let expected = await harness.cloud.liveGateways.map(\.id)
            for limit in 1...200 {
                let result = try await Self.follow(harness, limit: limit)
                #expect(result.ended, "limit \(limit): still paging after \(result.pages) pages")
                #expect(result.items == expected, "limit \(limit): \(result.items.count) items for \(expected.count)")
                #expect(result.pages == expected.count / limit + 1, "limit \(limit)")
                if result.items != expected { break }
            }
        }
    }

    @Test("pages are newest first; next_marker is the last item's created_at as sent, then ~ and its id")
    func markerIsCreatedAt() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(.GET, harness.gatewaysPath("?limit=3"))
            let page = try CustomerGatewayPage(data: answer.body)
            #expect(page.totalCount == 13)
            #expect(page.currentCount == 3)
            let last = try #require(page.gateways.last)
            #expect(page.nextMarker == (last.createdAtText ?? "") + "~" + last.id.rawValue)
            let instants = page.gateways.compactMap { $0.createdAt?.instant }
            #expect(instants == instants.sorted(by: >))
            #expect(answer.headers.first(name: "X-Request-Id") == page.requestID)
        }
    }

    @Test("default markers: the position survives the deletion of the marker's gateway between two pages")
    func markerGatewayDeleted() async throws {
        try await SimulatorHarness.with(scenario: .tiedGroups(30, groupSize: 5)) { harness in
            let expected = await harness.cloud.liveGateways.map(\.id)
            let first = try CustomerGatewayPage(
                data: try await harness.send(.GET, harness.gatewaysPath("?limit=7")).body)
            let marker = try #require(first.nextMarker)
            #expect(try await harness.send(.DELETE, harness.gatewaysPath("/\(expected[6].rawValue)")).status == 204)
            let rest = try await harness.send(
                .GET, harness.gatewaysPath("?limit=200&marker=" + PercentEncoding.encode(marker)))
            #expect(try CustomerGatewayPage(data: rest.body).gateways.map(\.id) == Array(expected[7...]))
        }
    }

    @Test("a listing after a create, a rename and a delete lists what exists now, in list order")
    func listingFollowsChanges() async throws {
        try await SimulatorHarness.with { harness in
            func listed() async throws -> [(id: GatewayID, name: String?)] {
                let page = try CustomerGatewayPage(data: try await harness.send(.GET, harness.gatewaysPath()).body)
                return page.gateways.map { ($0.id, $0.name) }
            }
            let before = try await listed()
            #expect(before.count == 13)
            let create = #"{"customer_gateway":{"name":"made-by-test","id_type":"ip","id_value":"10.0.0.9"}}"#
            let created = try await harness.send(.POST, harness.gatewaysPath(), body: Data(create.utf8))
            let id = try CustomerGatewayResponse(data: created.body).gateway.id
            // The newest gateway comes first.
            #expect(try await listed().map(\.id) == [id] + before.map(\.id))
            let rename = #"{"customer_gateway":{"name":"renamed-by-test"}}"#
            let path = harness.gatewaysPath("/\(before[3].id.rawValue)")
            #expect(try await harness.send(.PUT, path, body: Data(rename.utf8)).status == 200)
            #expect(try await listed()[4].name == "renamed-by-test")
            #expect(try await harness.send(.DELETE, harness.gatewaysPath("/\(id.rawValue)")).status == 204)
            #expect(try await listed().map(\.id) == before.map(\.id))
            #expect(await harness.cloud.liveGateways.map(\.id) == before.map(\.id))
        }
    }

    @Test("default limit 200, limit 0, an empty marker, and invalid paging parameters")
    func limits() async throws {
        try await SimulatorHarness.with { harness in
            let all = try CustomerGatewayPage(data: try await harness.send(.GET, harness.gatewaysPath()).body)
            #expect(all.gateways.count == 13)
            #expect(all.nextMarker == nil)
            let none = try CustomerGatewayPage(
                data: try await harness.send(.GET, harness.gatewaysPath("?limit=0")).body)
            #expect(none.gateways.isEmpty && none.totalCount == 13)
            let empty = try CustomerGatewayPage(
                data: try await harness.send(.GET, harness.gatewaysPath("?limit=5&marker=")).body)
            #expect(empty.gateways.map(\.id) == Array(all.gateways.prefix(5).map(\.id)))
            for query in [
                "?limit=201", "?limit=-1", "?limit=x", "?marker=2025-01-01T00:00:00Z", "?limit=5&marker=yesterday",
                "?limit=5&marker=yesterday~5f0c1a8e-3b2d-4c71-9e0a-000000000001",
            ] {
                let answer = try await harness.send(.GET, harness.gatewaysPath(query))
                #expect(answer.status == 400, "\(query)")
                #expect(answer.errorCode == "VPN.0001", "\(query)")
            }
        }
    }
}
