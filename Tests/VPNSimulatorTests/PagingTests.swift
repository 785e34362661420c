import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("list paging with a created_at marker")
struct PagingTests {
    /// Follows `next_marker` like a collector, de-duplicating by id; stops on a short page, a page without
    /// a marker, or a page that brings nothing new.
    private func collect(_ harness: SimulatorHarness, limit: Int) async throws -> (
        ids: [GatewayID], duplicates: Int, pages: Int
    ) {
        var seen: [GatewayID] = []
        var duplicates = 0
        var marker: String?
        var pages = 0
        while pages < 50 {
            var query = "?limit=\(limit)"
            if let marker { query += "&marker=" + PercentEncoding.encode(marker) }
            let answer = try await harness.send(.GET, harness.gatewaysPath(query))
            #expect(answer.status == 200)
            let page = try CustomerGatewayPage(data: answer.body)
            pages += 1
            var fresh = 0
            for gateway in page.gateways {
                if seen.contains(gateway.id) { duplicates += 1 } else { seen.append(gateway.id); fresh += 1 }
            }
            guard let next = page.nextMarker, page.gateways.count == limit, fresh > 0 else { break }
            marker = next
        }
        return (seen, duplicates, pages)
    }

    @Test(
        "every gateway exactly once after de-duplication, across three equal created_at", arguments: [4, 5, 6, 13, 200])
    func everyGatewayOnce(limit: Int) async throws {
        try await SimulatorHarness.with { harness in
            let expected = await harness.cloud.liveGateways.map(\.id)
            let result = try await collect(harness, limit: limit)
            #expect(result.ids == expected)
            #expect(Set(result.ids).count == 13)
            if limit < 13 { #expect(result.duplicates > 0, "the timestamp marker repeats the last item") }
        }
    }

    @Test("pages are newest first and the marker is the last item's created_at as sent")
    func markerIsCreatedAt() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(.GET, harness.gatewaysPath("?limit=3"))
            let page = try CustomerGatewayPage(data: answer.body)
            #expect(page.totalCount == 13)
            #expect(page.currentCount == 3)
            #expect(page.nextMarker == page.gateways.last?.createdAtText)
            let instants = page.gateways.compactMap { $0.createdAt?.instant }
            #expect(instants == instants.sorted(by: >))
            #expect(answer.headers.first(name: "X-Request-Id") == page.requestID)
        }
    }

    @Test("a limit no larger than a group of equal created_at cannot get past it: the page repeats")
    func smallLimitStalls() async throws {
        try await SimulatorHarness.with { harness in
            let result = try await collect(harness, limit: 2)
            #expect(result.ids.count < 13, "documented limitation of timestamp markers; clients must raise limit")
        }
    }

    @Test("default limit 200, limit 0, and invalid paging parameters")
    func limits() async throws {
        try await SimulatorHarness.with { harness in
            let all = try CustomerGatewayPage(data: try await harness.send(.GET, harness.gatewaysPath()).body)
            #expect(all.gateways.count == 13)
            #expect(all.nextMarker == nil)
            let none = try CustomerGatewayPage(
                data: try await harness.send(.GET, harness.gatewaysPath("?limit=0")).body)
            #expect(none.gateways.isEmpty && none.totalCount == 13)
            for query in [
                "?limit=201", "?limit=-1", "?limit=x", "?marker=2025-01-01T00:00:00Z", "?limit=5&marker=yesterday",
            ] {
                let answer = try await harness.send(.GET, harness.gatewaysPath(query))
                #expect(answer.status == 400, "\(query)")
                #expect(answer.errorCode == "VPN.0001", "\(query)")
            }
        }
    }
}
