import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("--concurrency N keeps N requests in flight over real HTTP")
struct CollectorConcurrencyTests {
    @Test(
        "33 gateways against 500 ms latency: concurrency 32 holds more than 8 requests at the server at once, 8 holds 8"
    )
    func thirtyTwoInFlight() async throws {
        let credentials = SimulatorCredentials(fixedTokens: ["concurrency-token"], sdkDateClock: .off)
        try await CollectFixture.with(
            scenario: CollectFixture.manyGateways(33, equal: 0), credentials: credentials, latency: .milliseconds(500)
        ) { fixture in
            // Its own transport: the shared one's connections belong to tests running beside this one.
            let transport = try HTTP1Transport()
            let ids = (0..<33).map { GatewayID(String(format: "00000000-0000-4000-8000-%012d", $0)) }
            // The most requests the simulator held at once (each waits 500 ms there), not a timing: a loaded
            // machine slows a run down but cannot raise this count (each request is sent once).
            func peak(concurrency: Int) async throws -> Int {
                fixture.gauge.reset()
                // One attempt each, with time to spare: under the whole suite an answer can take longer than
                // the fixture's 5 s, and a retry would be held beside its first attempt (43 once).
                let client = try VPNClient(
                    endpoint: try #require(fixture.running.baseURL), projectID: fixture.cloud.projectID,
                    credentials: .token("concurrency-token"), transport: transport, retry: RetryPolicy(maxAttempts: 1),
                    requestTimeout: .seconds(120))
                let run = try await Collector(
                    client: client,
                    database: fixture.storeFixture.database,
                    options: CollectorOptions(ids: ids, concurrency: concurrency, kinds: [.customerGateway])
                ).run()
                #expect(run.status == .complete && run.counts.observed == 33, "\(run.line)")
                return fixture.gauge.peak
            }
            let wide = try await peak(concurrency: 32)
            let narrow = try await peak(concurrency: 8)
            try await transport.shutdown()
            // A pool of 8 connections per host (AsyncHTTPClient's default, used before) held concurrency 32 at 8.
            #expect(wide > 8, "concurrency 32 held \(wide) requests at once")
            #expect(wide <= 32)
            #expect(narrow <= 8 && narrow > 1, "concurrency 8 held \(narrow) requests at once")
        }
    }
}
