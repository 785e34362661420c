import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("--concurrency N keeps N requests in flight over real HTTP")
struct CollectorConcurrencyTests {
    @Test("33 gateways against 500 ms latency: concurrency 32 takes 2 rounds, concurrency 8 takes 5")
    func thirtyTwoInFlight() async throws {
        let latency = Duration.milliseconds(500)
        let credentials = SimulatorCredentials(fixedTokens: ["concurrency-token"], sdkDateClock: .off)
        try await CollectFixture.with(
            scenario: CollectFixture.manyGateways(33, equal: 0), credentials: credentials, latency: latency
        ) { fixture in
            // Its own transport: the shared one's connections belong to tests running beside this one.
            let transport = try AsyncHTTPClientTransport()
            let ids = (0..<33).map { GatewayID(String(format: "00000000-0000-4000-8000-%012d", $0)) }
            func collect(concurrency: Int) async throws -> Duration {
                var summary: RunSummary?
                let took = try await ContinuousClock().measure {
                    summary = try await Collector(
                        client: try fixture.client(.token("concurrency-token"), transport: transport),
                        database: fixture.storeFixture.database,
                        options: CollectorOptions(ids: ids, concurrency: concurrency, kinds: [.customerGateway])
                    ).run()
                }
                let run = try #require(summary)
                #expect(run.status == .complete && run.counts.observed == 33, "\(run.line)")
                return took
            }
            // Alternated twice and the faster of each kept: a test run starting dozens of tests at once on two
            // cores can stall this process for seconds, and a stall must not pass for a narrow pool.
            var wide = Duration.seconds(3_600)
            var narrow = Duration.seconds(3_600)
            for _ in 0..<2 {
                wide = min(wide, try await collect(concurrency: 32))
                narrow = min(narrow, try await collect(concurrency: 8))
            }
            try await transport.shutdown()
            // The first request goes alone, then 32 more: 1 round at 32, 4 rounds at 8. AsyncHTTPClient's
            // default pool of 8 connections held concurrency 32 at 8 too, and both took 5 rounds. Compared
            // with each other, not with a fixed bound, so that a loaded machine slows both.
            #expect(wide >= latency * 2)
            #expect(narrow >= latency * 5)
            #expect(wide < narrow * 0.7, "concurrency 32: \(wide), concurrency 8: \(narrow)")
        }
    }
}
