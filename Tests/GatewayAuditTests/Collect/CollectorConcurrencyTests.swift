import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("--concurrency N keeps N requests in flight over real HTTP")
struct CollectorConcurrencyTests {
    @Test("64 gateways at concurrency 32 against 400 ms latency: about 2 rounds (0.8 s), not 8 rounds of 8")
    func thirtyTwoInFlight() async throws {
        let latency = Duration.milliseconds(400)
        try await CollectFixture.with(scenario: CollectFixture.manyGateways(64, equal: 0), latency: latency) {
            fixture in
            // Its own transport: the shared one's connections belong to tests running beside this one.
            let transport = try AsyncHTTPClientTransport()
            let ids = (0..<64).map { GatewayID(String(format: "00000000-0000-4000-8000-%012d", $0)) }
            var summary: RunSummary?
            let took = try await ContinuousClock().measure {
                summary = try await Collector(
                    client: try fixture.client(transport: transport), database: fixture.storeFixture.database,
                    options: CollectorOptions(ids: ids, concurrency: 32, kinds: [.customerGateway])
                ).run()
            }
            try await transport.shutdown()
            let run = try #require(summary)
            #expect(run.status == .complete)
            #expect(run.counts.observed == 64 && run.counts.new == 64)
            // The first request goes alone, then 63 in rounds of 32: 3 × 400 ms. AsyncHTTPClient's default
            // pool of 8 connections took 1 + 63 / 8 rounds, at least 3.2 s.
            #expect(took >= latency * 3)
            #expect(took < latency * 6, "took \(took)")
        }
    }
}
