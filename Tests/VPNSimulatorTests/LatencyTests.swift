import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("the server's latency setting delays every API answer, without holding a thread")
struct LatencyTests {
    private let g = Scenario.standardGatewayID
    private let latency = Duration.milliseconds(500)

    @Test("with 500 ms latency one gateway's GET takes at least 500 ms and still answers 200")
    func oneRequest() async throws {
        try await SimulatorHarness.with(latency: latency) { harness in
            var status = 0
            let took = try await ContinuousClock().measure { status = try await harness.gateway(g(1)).status }
            #expect(status == 200)
            #expect(took >= latency)
            var listed = 0
            let listTook = try await ContinuousClock().measure {
                listed = try await harness.send(.GET, harness.gatewaysPath()).status
            }
            #expect(listed == 200)
            #expect(listTook >= latency, "every API route is delayed, not only one")
        }
    }

    @Test("16 requests at once all wait together: far less than 16 × the latency")
    func concurrentRequests() async throws {
        try await SimulatorHarness.with(latency: latency) { harness in
            let took = try await ContinuousClock().measure {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 1...16 { group.addTask { try await harness.gateway(g(1)).status } }
                    for try await status in group { #expect(status == 200) }
                }
            }
            #expect(took >= latency)
            #expect(took < latency * 8, "served one after another it would take 8 s")
        }
    }

    @Test("the /_sim/ admin routes are not delayed")
    func adminRoutes() async throws {
        try await SimulatorHarness.with(latency: latency) { harness in
            var status = 0
            let took = try await ContinuousClock().measure {
                status = try await harness.send(.GET, "/_sim/state", credential: .none).status
            }
            #expect(status == 200)
            #expect(took < latency)
        }
    }
}
