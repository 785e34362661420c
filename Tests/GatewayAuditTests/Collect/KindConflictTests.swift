import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("an id recorded as another kind by an earlier release")
struct KindConflictTests {
    @Test(
        "a VPN gateway an earlier release recorded gone as a customer gateway: one failed observation, the night stored"
    )
    func goneUnderAnotherKind() async throws {
        try await CollectFixture.with { f in
            let vpnGateway = GatewayID(Scenario.standardVPNGatewayID(1))
            // What `--id <VPN gateway id>` with the default kind wrote before this release: a 404 as a customer
            // gateway, recorded as that customer gateway's departure.
            let client = try f.client()
            let writer = f.storeFixture.writer
            let old = try await writer.beginRun(
                RunInfo(endpoint: client.endpoint.absoluteString, projectID: client.projectID, scope: .ids))
            _ = try await f.storeFixture.recorder.record(
                [Observation(gatewayID: vpnGateway, observedAt: .now, result: .gone)], in: old)
            try await writer.finishRun(old, status: .complete)

            let summary = try await f.collect()
            #expect(summary.status == .partial)
            #expect(summary.counts.failed == 1)
            #expect(summary.counts.new == 22, "every other resource of the night is stored")
            let reason =
                "listed as a VPN gateway, but this history records the id as a customer gateway; its history is "
                + "kept as it is and nothing is stored under a second kind"
            #expect(summary.failures.map(\.reason) == [reason])
            #expect(summary.failures.map(\.id) == [vpnGateway])
            let row = try #require(try f.store.gateways().first { $0.gatewayID == vpnGateway })
            #expect(row.kind == .customerGateway && row.state == .gone)
            try f.storeFixture.expectIntegrity()
        }
    }
}
