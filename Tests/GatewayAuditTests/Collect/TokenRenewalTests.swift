import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("IAM token renewal under concurrency, against the simulator over HTTP", .serialized)
struct TokenRenewalTests {
    @Test(
        "IAM password at concurrency 8: tokens expiring mid-run cost one IAM request per expiry; every gateway is stored"
    )
    func concurrentExpiry() async throws {
        var credentials = SimulatorCredentials.standard
        credentials.tokenLifetimeRequests = 10
        try await CollectFixture.with(scenario: CollectFixture.manyGateways(40, equal: 0), credentials: credentials) {
            f in
            let ids = await f.cloud.liveGateways.map(\.id)
            let client = try f.client(.password(try f.passwordIdentity()))
            let summary = try await Collector(
                client: client, database: f.storeFixture.database, options: CollectorOptions(ids: ids, concurrency: 8),
                logger: f.logs.logger("collect")
            ).run()
            #expect(summary.status == .complete, "\(String(describing: summary.failure))")
            #expect(summary.counts.new == 40 && summary.counts.failed == 0)
            #expect(try f.store.gateways().count == 40)
            // 40 requests, 10 per token: the first token plus one renewal for each of the 3 expiries.
            #expect(await f.cloud.tokenRequests == 4)
            #expect(!f.logs.all.joined(separator: "\n").contains(CollectFixture.user.password))
        }
    }
}
