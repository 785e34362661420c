import AsyncHTTPClient
import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("fault injection fires where configured and only there")
struct FaultTests {
    private let g = Scenario.standardGatewayID

    @Test("429 with Retry-After on one gateway's GET only")
    func throttle() async throws {
        try await SimulatorHarness.with { harness in
            let rule = await harness.cloud.addFault(
                FaultRule(.throttle(retryAfterSeconds: 3, code: "VPN.0429"), routes: [.getGateway], gateways: [g(2)]))
            let throttled = try await harness.gateway(g(2))
            #expect(throttled.status == 429)
            #expect(throttled.headers.first(name: "Retry-After") == "3")
            #expect(throttled.errorCode == "VPN.0429")
            #expect(try await harness.gateway(g(3)).status == 200)
            #expect(try await harness.send(.GET, harness.gatewaysPath()).status == 200)
            #expect(await harness.cloud.firings(of: rule).count == 1)
        }
    }

    @Test("a burst of N consecutive 5xx, then normal answers")
    func serverErrorBurst() async throws {
        try await SimulatorHarness.with { harness in
            let rule = await harness.cloud.addFault(
                FaultRule(.serverError(status: 503, code: "VPN.0014"), routes: [.listGateways], skip: 1, count: 3))
            var statuses: [Int] = []
            for _ in 0..<6 { statuses.append(try await harness.send(.GET, harness.gatewaysPath()).status) }
            #expect(statuses == [200, 503, 503, 503, 200, 200])
            #expect(try await harness.gateway(g(1)).status == 200)
            #expect(
                await harness.cloud.firings(of: rule).map(\.route) == [.listGateways, .listGateways, .listGateways])
        }
    }

    @Test("425 only within the configured nights")
    func tooEarlyByNight() async throws {
        try await SimulatorHarness.with { harness in
            await harness.cloud.addFault(FaultRule(.tooEarly, gateways: [g(1)], fromNight: 2, toNight: 2))
            #expect(try await harness.gateway(g(1)).status == 200)
            try await harness.cloud.advance(to: 2)
            let early = try await harness.gateway(g(1))
            #expect(early.status == 425 && early.errorCode == "VPN.0009")
            try await harness.cloud.advance(to: 3)
            #expect(try await harness.gateway(g(1)).status == 200)
        }
    }

    @Test("latency delays only the configured route")
    func latency() async throws {
        try await SimulatorHarness.with { harness in
            let rule = await harness.cloud.addFault(FaultRule(.latency(milliseconds: 400), routes: [.getGateway]))
            let clock = ContinuousClock()
            _ = try await harness.send(.GET, harness.gatewaysPath())
            #expect(await harness.cloud.firings(of: rule).isEmpty, "the list route is not delayed")
            var status = 0
            let slow = try await clock.measure { status = try await harness.gateway(g(1)).status }
            #expect(status == 200)
            #expect(slow >= .milliseconds(400))
            #expect(await harness.cloud.firings(of: rule).count == 1)
        }
    }

    @Test("truncated and malformed bodies keep the status but are not JSON")
    func corruptBodies() async throws {
        try await SimulatorHarness.with { harness in
            await harness.cloud.addFault(FaultRule(.truncatedBody, gateways: [g(1)]))
            await harness.cloud.addFault(FaultRule(.malformedBody, gateways: [g(2)]))
            for id in [g(1), g(2)] {
                let answer = try await harness.gateway(id)
                #expect(answer.status == 200)
                #expect(throws: ModelError.self) { try CustomerGatewayResponse(data: answer.body) }
            }
            #expect(try CustomerGatewayResponse(data: try await harness.gateway(g(3)).body).gateway.id == g(3))
        }
    }

    @Test("a trickling body brings the same answer, one byte per interval")
    func tricklingBody() async throws {
        try await SimulatorHarness.with { harness in
            let normal = try await harness.gateway(g(1))
            await harness.cloud.addFault(FaultRule(.tricklingBody(intervalMilliseconds: 2), gateways: [g(1)]))
            var answer = normal
            let slow = try await ContinuousClock().measure { answer = try await harness.gateway(g(1)) }
            #expect(answer.status == 200)
            // The same gateway (the body also carries each answer's own request id).
            #expect(answer.body.count == normal.body.count)
            #expect(
                try CustomerGatewayResponse(data: answer.body).gateway
                    == (try CustomerGatewayResponse(data: normal.body).gateway))
            // A pause after every byte: the client has waited through all but the last.
            #expect(slow >= .milliseconds(2 * (normal.body.count - 1)))
        }
    }

    @Test("a connection reset closes the connection without a response; other requests are unaffected")
    func connectionReset() async throws {
        try await SimulatorHarness.with { harness in
            let rule = await harness.cloud.addFault(FaultRule(.connectionReset, gateways: [g(4)], count: 1))
            var failed = false
            do {
                _ = try await harness.gateway(g(4))
            } catch {
                failed = true
            }
            #expect(failed, "the connection closes without a response")
            let other = try await harness.gateway(g(5))
            #expect(other.status == 200)
            let again = try await harness.gateway(g(4))
            #expect(again.status == 200, "count 1: fires once")
            #expect(await harness.cloud.firings(of: rule).count == 1)
        }
    }

    @Test("probabilistic faults are reproducible from the seed")
    func seeded() async throws {
        func pattern() async throws -> [Bool] {
            let cloud = try SimulatedCloud(credentials: SimulatorCredentials(fixedTokens: ["t"]))
            await cloud.addFault(FaultRule(.serverError(status: 500, code: "VPN.0002"), probability: 0.5))
            var fired: [Bool] = []
            for _ in 0..<40 {
                let request = APIRequest(
                    route: .listGateways, method: "GET", path: "/", headers: ["X-Auth-Token": "t"],
                    projectID: cloud.projectID)
                guard case .respond(let response, _) = await cloud.respond(to: request) else { continue }
                fired.append(response.status == 500)
            }
            return fired
        }
        let first = try await pattern()
        #expect(first == (try await pattern()))
        #expect(first.contains(true) && first.contains(false))
    }

    @Test("faults from scenario JSON are active from the start; removing them stops them")
    func scenarioFaults() async throws {
        var scenario = Scenario.standard
        scenario.faults = [FaultRule(.throttle(retryAfterSeconds: 2, code: "APIG.0308"), routes: [.listGateways])]
        let decoded = try Scenario.decode(try scenario.jsonData())
        try await SimulatorHarness.with(scenario: decoded) { harness in
            let answer = try await harness.send(.GET, harness.gatewaysPath())
            #expect(answer.status == 429 && answer.errorCode == "APIG.0308")
            await harness.cloud.removeAllFaults()
            #expect(try await harness.send(.GET, harness.gatewaysPath()).status == 200)
        }
        let standard = try SimulatedCloud()
        #expect(await standard.faultFirings.isEmpty && Scenario.standard.faults.isEmpty)
    }
}

@Suite("fault injection through the admin route")
struct AdminFaultTests {
    @Test("POST /_sim/faults adds a rule, GET lists firings, DELETE clears")
    func adminFaults() async throws {
        try await SimulatorHarness.with { harness in
            let rule =
                #"{"kind": {"serverError": {"status": 500, "code": "VPN.0002"}}, "routes": ["listGateways"], "count": 2}"#
            let added = try await harness.send(.POST, "/_sim/faults", credential: .none, body: Data(rule.utf8))
            #expect(added.status == 201)
            #expect(added.json?["id"]?.integerValue == 1)
            let failing = try await harness.send(.GET, harness.gatewaysPath())
            #expect(failing.status == 500 && failing.errorCode == "VPN.0002")
            let firings = try await harness.send(.GET, "/_sim/faults", credential: .none)
            #expect(firings.json?["firings"]?.arrayValue?.count == 1)
            #expect(try await harness.send(.DELETE, "/_sim/faults", credential: .none).status == 204)
            #expect(try await harness.send(.GET, harness.gatewaysPath()).status == 200)
            let bad = try await harness.send(.POST, "/_sim/faults", credential: .none, body: Data("{}".utf8))
            #expect(bad.status == 400)
        }
    }
}
