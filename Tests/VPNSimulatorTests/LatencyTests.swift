import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("the server's latency setting delays every API answer")
struct LatencyTests {
    private let g = Scenario.standardGatewayID
    private let latency = Duration.milliseconds(500)

    @Test("with 500 ms latency one gateway's GET takes at least 500 ms and still answers 200")
    func oneRequest() async throws {
        try await SimulatorHarness.with(latency: latency) { harness in
            // Only lower bounds, and a generous deadline: a whole test run on two cores can hold a request
            // up for seconds, which proves nothing about the latency.
            var status = 0
            let took = try await ContinuousClock().measure {
                status = try await harness.send(.GET, harness.gatewaysPath("/\(g(1).rawValue)"), timeout: .seconds(60))
                    .status
            }
            #expect(status == 200)
            #expect(took >= latency)
            var listed = 0
            let listTook = try await ContinuousClock().measure {
                listed = try await harness.send(.GET, harness.gatewaysPath(), timeout: .seconds(60)).status
            }
            #expect(listed == 200)
            #expect(listTook >= latency, "every API route is delayed, not only one")
            // The state shows the latency and what the two holds took (the admin route is not held).
            let state = try await harness.send(.GET, "/_sim/state", credential: .none).json
            #expect(state?["latency_ms"] == .integer(500))
            #expect(state?["held_requests"] == .integer(2))
            let mean: Double? =
                switch state?["held_mean_ms"] {
                case .double(let value)?: value
                case .integer(let value)?: Double(value)
                default: nil
                }
            #expect(try #require(mean) >= 500, "each hold lasts the latency at least")
        }
    }

    @Test("without latency the state says 0 ms and no request held")
    func noLatency() async throws {
        try await SimulatorHarness.with { harness in
            #expect(try await harness.send(.GET, harness.gatewaysPath("/\(g(1).rawValue)")).status == 200)
            let state = try await harness.send(.GET, "/_sim/state", credential: .none).json
            #expect(state?["latency_ms"] == .integer(0))
            #expect(state?["held_requests"] == .integer(0))
        }
    }

    @Test("the /_sim/ admin routes are not delayed: /_sim/state answers before an API call sent with it")
    func adminRoutes() async throws {
        try await SimulatorHarness.with(latency: .seconds(1)) { harness in
            // Started together and compared with each other, not with a fixed bound, so that a loaded machine
            // slows both: the API call waits a second more, the admin route does not.
            let clock = ContinuousClock()
            let started = clock.now
            async let api = harness.send(.GET, harness.gatewaysPath("/\(g(1).rawValue)"), timeout: .seconds(60))
            async let admin = harness.send(.GET, "/_sim/state", credential: .none, timeout: .seconds(60))
            let adminAnswer = try await admin
            let adminDone = clock.now
            let apiAnswer = try await api
            let apiDone = clock.now
            #expect(adminAnswer.status == 200 && apiAnswer.status == 200)
            #expect(apiDone - started >= .seconds(1))
            #expect(adminDone < apiDone, "admin \(adminDone - started), API \(apiDone - started)")
        }
    }
}
