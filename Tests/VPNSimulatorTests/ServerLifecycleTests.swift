import AsyncHTTPClient
import Foundation
import Testing
import VPNSimulator

@Suite("starting and stopping in-process")
struct ServerLifecycleTests {
    @Test("port 0 binds a free port on loopback; stop closes it")
    func startStop() async throws {
        let cloud = try SimulatedCloud()
        let running = try await SimulatorServer(cloud: cloud).start()
        #expect(running.port > 0)
        #expect(running.baseURLString == "http://127.0.0.1:\(running.port)")
        let state = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: running.baseURLString + "/_sim/state"), timeout: .seconds(30))
        #expect(state.status.code == 200)
        await running.stop()
        var refused = false
        do {
            // AsyncHTTPClient retries a refused connection until the deadline, so keep it short.
            _ = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: running.baseURLString + "/_sim/state"), timeout: .milliseconds(300))
        } catch {
            refused = true
        }
        #expect(refused)
    }

    @Test("a port in use is reported as cannotStart")
    func portInUse() async throws {
        let first = try await SimulatorServer(cloud: try SimulatedCloud()).start()
        var caught: SimulatorError?
        do {
            let second = try await SimulatorServer(cloud: try SimulatedCloud(), port: first.port).start()
            await second.stop()
        } catch {
            caught = error
        }
        await first.stop()
        guard case .cannotStart(_, let port, _)? = caught else {
            Issue.record("expected cannotStart, got \(String(describing: caught))")
            return
        }
        #expect(port == first.port)
    }

    @Test("admin routes can be switched off")
    func noAdmin() async throws {
        let running = try await SimulatorServer(cloud: try SimulatedCloud(), adminRoutes: false).start()
        let answer = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: running.baseURLString + "/_sim/state"), timeout: .seconds(30))
        #expect(answer.status.code == 404)
        await running.stop()
    }
}
