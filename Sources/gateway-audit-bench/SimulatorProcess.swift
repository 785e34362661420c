import Foundation
import GatewayAuditClient
import GatewayAuditCore

#if canImport(Glibc)
    import Glibc
#endif

/// A `vpn-simulator` the bench started as a child process, so that the server's CPU is not the measured
/// process's: where it listens (from its banner) and how to stop it.
struct SimulatorProcess {
    let pid: pid_t
    /// `http://127.0.0.1:PORT`, as the banner's `endpoint:` line prints it.
    let baseURL: String
    /// The project id the banner prints.
    let projectID: String

    /// Starts `program` (the `vpn-simulator` built beside the bench) with `arguments` and `--port 0`, and waits
    /// up to 30 s for its banner.
    /// - Throws: ``BenchError`` when it does not start or prints no banner.
    static func start(_ program: String, _ arguments: [String], output: String) throws -> SimulatorProcess {
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw BenchError("\(program) not found: build the vpn-simulator product beside the bench")
        }
        guard
            let pid = ChildProcess.spawn(
                program, arguments + ["--port", "0"], stdoutPath: output, stderrPath: output + ".err")
        else { throw BenchError("could not start \(program)") }
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            // The `advance:` line is the banner's last.
            if text.contains("  advance:") {
                let values = banner(text)
                guard let base = values["endpoint:"], let project = values["project id:"] else { break }
                return SimulatorProcess(pid: pid, baseURL: base, projectID: project)
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw BenchError("\(program) exited before listening (status \(status)); see \(output).err")
            }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        throw BenchError("\(program) printed no banner within 30 s; see \(output)")
    }

    /// The banner's `label: value` lines, by label (with its colon).
    private static func banner(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let label = String(trimmed[...colon])
            values[label] =
                values[label] ?? trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return values
    }

    /// Asks the simulator to stop (SIGTERM, a graceful shutdown) and waits for it; SIGKILL after 10 s.
    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }
}

extension SimulatorProcess {
    /// The show URL of customer gateway `id` (the one `wrk` fetches).
    /// - Throws: ``BenchError`` when the banner's base URL does not make one.
    func showURL(id: String) throws -> URL {
        guard let url = URL(string: "\(baseURL)/v5/\(projectID)/customer-gateways/\(id)") else {
            throw BenchError("no URL from the simulator's base URL \(baseURL)")
        }
        return url
    }
}

extension SimulatorProcess {
    /// How long the simulator held its API requests on average (`held_mean_ms` of `/_sim/state`), in
    /// seconds: the latency the collector really met, which the ideal time assumes is exact; nil when it
    /// held none or its state cannot be read.
    func meanHold() async -> Double? {
        guard let url = URL(string: "\(baseURL)/_sim/state"),
            let transport = try? HTTP1Transport(connectionsPerHost: 1)
        else { return nil }
        let response = try? await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(30))
        try? await transport.shutdown()
        guard let response, response.status == .ok,
            let state = try? JSONDecoder().decode(JSONValue.self, from: response.body),
            (state["held_requests"]?.integerValue ?? 0) > 0
        else { return nil }
        return state["held_mean_ms"]?.doubleValue.map { $0 / 1_000 }
    }
}
