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
        // A token lasts 20 requests: at an expiry the 8 requests in flight are rejected and sent again with the
        // one new token. A slow request can find even that token used up by the fast ones before its second
        // attempt arrives; since that token came from the cache, it renews again (it used to stop the
        // run). Every token but the last authorises 20 requests and none is renewed before it is used up, so the
        // count of IAM requests is exact whatever the timing.
        credentials.tokenLifetimeRequests = 20
        try await CollectFixture.with(scenario: CollectFixture.manyGateways(80, equal: 0), credentials: credentials) {
            f in
            let ids = await f.cloud.liveGateways.map(\.id)
            let client = try f.client(.password(try f.passwordIdentity()))
            let summary = try await Collector(
                client: client, database: f.storeFixture.database, options: CollectorOptions(ids: ids, concurrency: 8),
                logger: f.logs.logger("collect")
            ).run()
            #expect(summary.status == .complete, "\(String(describing: summary.failure))")
            #expect(summary.counts.new == 80 && summary.counts.failed == 0)
            #expect(try f.store.gateways().count == 80)
            // 80 requests, 20 per token: the first token plus one renewal for each of the 3 expiries.
            #expect(await f.cloud.tokenRequests == 4)
            #expect(!f.logs.all.joined(separator: "\n").contains(CollectFixture.user.password))
        }
    }
}
