import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("listings that end short: fewer than total_count, a refused wider page, pages of at most 200", .serialized)
struct ListingCompletenessTests {
    @Test("a customer gateway list one short of its total_count: the run is partial with the reason, nothing gone")
    func gatewaysShortOfTotal() async throws {
        try await CollectFixture.with { f in
            let options = CollectorOptions(kinds: [.customerGateway])
            let ids = await f.cloud.liveGateways.map(\.id)
            #expect(ids.count == 13)
            let first = try await f.collect(options: options)
            #expect(first.status == .complete && first.counts.new == 13)
            // The list leaves out its newest gateway, though its total_count still counts it.
            let rule = await f.cloud.addFault(FaultRule(.omittedListItems(count: 1), routes: [.listGateways]))
            let summary = try await f.collect(options: options)
            #expect(await f.cloud.firings(of: rule).count == 1)
            let reason = "listing incomplete: the list gave 12 of the 13 gateways its pages count (total_count)"
            #expect(summary.status == .partial)
            #expect(summary.incompleteListing == reason)
            #expect(summary.counts.observed == 13 && summary.counts.gone == 0 && summary.counts.failed == 0)
            let run = try #require(try f.store.runs().first)
            #expect(run.id == summary.runID && run.status == .partial && run.message == reason)
            #expect(run.counts.gone == 0)
            // The one left out was confirmed by id: present, not gone.
            #expect(try f.store.gateway(ids[0])?.state == .present)
            let stored = try f.store.gateways().filter { $0.kind == .customerGateway }
            #expect(stored.count == 13 && stored.allSatisfy { $0.state == .present })
        }
    }

    @Test("a VPN connection list two short of its total_count: the run is partial with the reason, nothing gone")
    func connectionsShortOfTotal() async throws {
        try await CollectFixture.with { f in
            let options = CollectorOptions(kinds: [.vpnConnection])
            let ids = await f.cloud.liveConnections.map(\.id)
            #expect(ids.count == 7)
            let first = try await f.collect(options: options)
            #expect(first.status == .complete && first.counts.new == 7)
            _ = await f.cloud.addFault(FaultRule(.omittedListItems(count: 2), routes: [.listConnections]))
            let summary = try await f.collect(options: options)
            let reason =
                "VPN connection listing incomplete: the list gave 5 of the 7 VPN connections its pages count "
                + "(total_count)"
            #expect(summary.status == .partial)
            #expect(summary.incompleteListing == reason)
            #expect(summary.counts.observed == 7 && summary.counts.gone == 0 && summary.counts.failed == 0)
            let run = try #require(try f.store.runs().first)
            #expect(run.status == .partial && run.message == reason)
            for id in ids.prefix(2) {
                #expect(try f.store.gateway(GatewayID(id))?.state == .present, "\(id)")
            }
            let stored = try f.store.gateways().filter { $0.kind == .vpnConnection }
            #expect(stored.count == 7 && stored.allSatisfy { $0.state == .present })
        }
    }

    @Test("a list that refuses the wider page it needed to progress: partial with the reason, nothing gone")
    func widerPageRefused() async throws {
        // Plain (inclusive) markers and groups of 5 gateways on one created_at: with pages of 2, the second
        // page repeats the first and the listing asks again with limit 4. The list answered limit 2 at that
        // marker, so its 400 for limit 4 refuses the page size (as a server whose limit is lower than the
        // documented 200 would): the listing stops there instead of failing the run.
        var scenario = CollectFixture.tiedGroups(30, groupSize: 5)
        scenario.markerMode = .inclusive
        try await CollectFixture.with(scenario: scenario) { f in
            let options = CollectorOptions(pageSize: 2, kinds: [.customerGateway])
            let first = try await f.collect(options: options)
            #expect(first.status == .complete && first.counts.new == 30)
            let rule = await f.cloud.addFault(
                FaultRule(.serverError(status: 400, code: "VPN.0001"), routes: [.listGateways], skip: 2, count: 1))
            let summary = try await f.collect(options: options)
            #expect(await f.cloud.firings(of: rule).count == 1)
            let reason =
                "listing incomplete: could not make progress past created_at 2025-01-01T00:05:00.000Z: a full page "
                + "of 2 brought no gateway not yet listed, and the list refused the wider limit 4 (HTTP 400 VPN.0001: "
                + "System error: the service is busy, please try again later); 2 of 30 gateways listed"
            #expect(summary.failure == nil)
            #expect(summary.status == .partial)
            #expect(summary.incompleteListing == reason)
            #expect(summary.counts.observed == 30 && summary.counts.gone == 0 && summary.counts.failed == 0)
            let run = try #require(try f.store.runs().first)
            #expect(run.status == .partial && run.message == reason)
            let stored = try f.store.gateways()
            #expect(stored.count == 30 && stored.allSatisfy { $0.state == .present })
        }
    }

    @Test("a 400 for the first page, before any page size was answered, is still an error")
    func firstPageRefused() async throws {
        try await CollectFixture.with { f in
            _ = await f.cloud.addFault(
                FaultRule(.serverError(status: 400, code: "VPN.0001"), routes: [.listGateways], count: 1))
            let client = try f.client()
            await #expect(throws: ClientError.self) { try await client.listResources(.customerGateway) }
        }
    }

    @Test("every paged list asks for at most 200, so 450 connections come in pages of 200, 200 and 50")
    func connectionPages() async throws {
        #expect(ResourceKind.allCases.filter(\.listPages).map(\.maximumPageSize) == [200, 200])
        let scenario = Scenario.generated(gateways: 300, vpnGateways: 7, connections: 450)
        try await CollectFixture.with(scenario: scenario) { f in
            let expected = await f.cloud.liveConnections.map(\.id)
            let listing = try await f.client().listResources(.vpnConnection, pageSize: 2_000)
            #expect(listing.isComplete, "\(listing.incompleteReason ?? "")")
            #expect(listing.pages == 3 && listing.totalCount == 450)
            #expect(listing.resources.map(\.id.rawValue) == expected)
        }
    }
}
