import Foundation
import GatewayAudit
import Synchronization
import Testing
import VPNSimulator

@Suite("listing every gateway when many share one created_at", .serialized)
struct ListingTests {
    /// 30 gateways in 6 groups of 5 sharing one `created_at`.
    static let tied = CollectFixture.tiedGroups(30, groupSize: 5)
    /// 210 gateways, 205 of them created at 2025-01-01T00:00:00.000Z: more than one page of 200.
    static let impossible = CollectFixture.manyGateways(210, equal: 205)
    static let stalled =
        "listing incomplete: could not make progress past created_at 2025-01-01T00:00:00.000Z: a full page of 200 "
        + "(the largest limit) brought no gateway not yet listed (more than 200 share one created_at?); "
        + "205 of 210 gateways listed"

    static func scenario(_ base: Scenario, _ mode: MarkerMode) -> Scenario {
        var scenario = base
        scenario.markerMode = mode
        return scenario
    }

    @Test(
        "every limit 1...200 lists each of 30 gateways (groups of 5 on one created_at) exactly once",
        arguments: [MarkerMode.inclusive, .exclusive, .composite])
    func everyLimit(mode: MarkerMode) async throws {
        try await CollectFixture.with(scenario: Self.scenario(Self.tied, mode)) { f in
            let expected = await f.cloud.liveGateways.map(\.id)
            let client = try f.client()
            for limit in 1...200 {
                let listing = try await client.listGateways(pageSize: limit)
                #expect(listing.isComplete, "limit \(limit): \(listing.incompleteReason ?? "")")
                #expect(listing.gateways.map(\.id) == expected, "limit \(limit): \(listing.gateways.count) listed")
                if listing.gateways.map(\.id) != expected { break }
            }
        }
    }

    @Test(
        "a collection run with pages of 1, 2, 3 and 200 stores each gateway once and is complete",
        arguments: [MarkerMode.inclusive, .exclusive, .composite])
    func collectorRun(mode: MarkerMode) async throws {
        for pageSize in [1, 2, 3, 200] {
            try await CollectFixture.with(scenario: Self.scenario(Self.tied, mode)) { f in
                let summary = try await f.collect(options: CollectorOptions(pageSize: pageSize))
                #expect(summary.status == .complete, "page size \(pageSize)")
                #expect(summary.counts.observed == 30 && summary.counts.new == 30, "page size \(pageSize)")
                #expect(summary.incompleteListing == nil)
                #expect(try f.store.gateways().count == 30)
            }
        }
    }

    @Test(
        "205 gateways on one created_at with plain markers: the run is partial and says the listing could not progress",
        arguments: [MarkerMode.inclusive, .exclusive])
    func cannotProgress(mode: MarkerMode) async throws {
        try await CollectFixture.with(scenario: Self.scenario(Self.impossible, mode)) { f in
            let summary = try await f.collect()
            #expect(summary.status == .partial)
            #expect(summary.counts.new == 205 && summary.counts.failed == 0)
            #expect(summary.incompleteListing == Self.stalled)
            let run = try #require(try f.store.runs().first)
            #expect(run.status == .partial)
            #expect(run.message == Self.stalled)
        }
    }

    @Test("205 gateways on one created_at with the default markers: all 210 listed, the run complete")
    func compositeGetsPast() async throws {
        try await CollectFixture.with(scenario: Self.impossible) { f in
            let summary = try await f.collect(options: CollectorOptions(pageSize: 3))
            #expect(summary.status == .complete)
            #expect(summary.counts.new == 210)
        }
    }

    /// A list page of `ids`, all created at one instant written with a `+01:00` offset.
    static func page(_ ids: [String], _ marker: String) -> String {
        let items = ids.map { #"{"id":"\#($0)","created_at":"2025-02-01T01:00:00.000+01:00"}"# }
        return
            #"{"customer_gateways":[\#(items.joined(separator: ","))],"page_info":{"next_marker":"\#(marker)","current_count":\#(ids.count)}}"#
    }

    @Test("a timestamp next_marker goes back one unit later, same digits and offset; a refused one goes back as sent")
    func movedMarker() async throws {
        let queries = Mutex<[String]>([])
        let transport = ClosureTransport { request throws(TransportError) in
            let query = request.url.query ?? ""
            queries.withLock { $0.append(query) }
            let body: String
            switch query {
            case "limit=2": body = ListingTests.page(["a", "b"], "2025-02-01T01:00:00.000+01:00")
            case "limit=2&marker=2025-02-01T01%3A00%3A00.000%2B01%3A00":
                body = ListingTests.page(["b", "c"], "2025-02-01T01:00:00.000+01:00")
            case "limit=4&marker=2025-02-01T01%3A00%3A00.000%2B01%3A00": body = ListingTests.page(["b", "c", "d"], "")
            default:
                return ClientResponse(
                    status: .badRequest, body: Data(#"{"error_code":"VPN.0001","error_msg":"invalid marker"}"#.utf8))
            }
            return ClientResponse(status: .ok, body: Data(body.utf8))
        }
        let client = try VPNClient(
            endpoint: try #require(URL(string: "https://vpn.example.com")), projectID: "p", credentials: .token("t"),
            transport: transport)
        let listing = try await client.listGateways(pageSize: 2)
        #expect(listing.gateways.map(\.id) == ["a", "b", "c", "d"])
        #expect(listing.isComplete)
        #expect(
            queries.withLock { $0 } == [
                "limit=2", "limit=2&marker=2025-02-01T01%3A00%3A00.001%2B01%3A00",
                "limit=2&marker=2025-02-01T01%3A00%3A00.000%2B01%3A00",
                "limit=2&marker=2025-02-01T01%3A00%3A00.000%2B01%3A00",
                "limit=4&marker=2025-02-01T01%3A00%3A00.000%2B01%3A00",
            ])
    }
}
