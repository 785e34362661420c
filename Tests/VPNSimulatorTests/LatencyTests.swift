import AsyncHTTPClient
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
            let heldMean = try #require(state?["held_mean_ms"]?.doubleValue)
            #expect(heldMean >= 500, "each hold lasts the latency at least")
            // Each hold lies inside a request the client timed: a sum, or another unit, would exceed this.
            #expect(heldMean <= (took + listTook) / 2 / .milliseconds(1))
        }
    }

    @Test("cancelling the server's task ends a held request's wait at once, not at its deadline")
    func cancellation() async throws {
        let server = SimulatorServer(cloud: try SimulatedCloud(), latency: .seconds(60))
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let serving = Task { try await server.run { listening.yield($0) } }
        var bound = ports.makeAsyncIterator()
        let port = try #require(await bound.next())
        let request = Task {
            try? await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/v5/p/customer-gateways/x"), timeout: .seconds(120))
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while server.gauge.peak == 0, clock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.gauge.peak == 1, "the request is being held")
        let cancelled = clock.now
        serving.cancel()
        _ = await serving.result
        #expect(clock.now - cancelled < .seconds(20), "the server's task waited for the 60 s hold")
        request.cancel()
        _ = await request.result
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
