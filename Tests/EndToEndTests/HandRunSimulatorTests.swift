import Foundation
import GatewayAudit
import Testing
import TestSupport
import VPNSimulator

/// What `vpn-simulator` printed when it started, as a user reads it.
struct PrintedBanner: Sendable {
    let text: String

    /// The value after `label` on the banner line that starts with it.
    func value(_ label: String) -> String? {
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(label) {
                return trimmed.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The URL after "listening on".
    var listeningOn: String? { value("vpn-simulator listening on") }
}

@Suite("vpn-simulator run by hand, then gateway-audit collect, as README.md says", .serialized)
struct HandRunSimulatorTests {
    static let simulatorBinary = CLI.binary.deletingLastPathComponent().appendingPathComponent("vpn-simulator")

    /// Starts `vpn-simulator arguments...` as a subprocess, waits for its banner, runs `body`, then stops it.
    /// `stderr` receives the simulator's standard error (else it is discarded).
    static func withSimulator(
        _ arguments: [String], stderr: URL? = nil, _ body: (PrintedBanner) async throws -> Void
    ) async throws {
        let child = try Spawn.start(
            simulatorBinary.path, arguments, environment: ["PATH": "/usr/bin:/bin"],
            stdout: .pipe, stderr: stderr.map { .file($0.path) } ?? .discard)
        let output = try #require(child.stdout)
        // The banner is read off the cooperative pool (a read blocks), until its last line.
        let text = try await offPool {
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while !String(decoding: data, as: UTF8.self).contains("  advance:") {
                let count = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                data.append(contentsOf: buffer[..<count])
            }
            return String(decoding: data, as: UTF8.self)
        }
        func stop() async throws {
            child.terminate()
            _ = try await offPool { child.wait() }
            close(output)
        }
        do {
            try await body(PrintedBanner(text: text))
        } catch {
            try await stop()
            throw error
        }
        try await stop()
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-hand-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("`vpn-simulator --port 0`, then the README's nightly collect with the printed endpoint and keys: exit 0")
    func readmeRecipe() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.withSimulator(["--port", "0"]) { banner in
            let base = try #require(banner.listeningOn, "banner: \(banner.text)")
            #expect(banner.value("endpoint:") == base, "the printed endpoint is what --endpoint takes")
            let environment = [
                "HW_ACCESS_KEY": try #require(banner.value("access key:")),
                "HW_SECRET_KEY": try #require(banner.value("secret key:")),
                "HW_PROJECT_ID": try #require(banner.value("project id:")),
                "GATEWAY_AUDIT_DB": directory.appendingPathComponent("history.sqlite").path,
            ]
            let first = try await CLI.run(["collect", "--endpoint", base, "--quiet"], environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(
                first.stdout.hasPrefix(
                    "run 1 complete: 23 observed, 0 unchanged, 0 changed, 23 new, 0 gone, 0 failed in "))
            #expect(first.stderr.isEmpty)

            // The banner's own `collect:` line, run as printed (the database lands in the current folder).
            let line = try #require(banner.value("collect:"))
            let words = line.split(separator: " ").map(String.init)
            let command = try #require(words.firstIndex(of: "gateway-audit"))
            var printed: [String: String] = [:]
            for word in words[..<command] {
                let pair = word.split(separator: "=", maxSplits: 1).map(String.init)
                printed[pair[0]] = pair.count > 1 ? pair[1] : ""
            }
            let second = try await CLI.run(Array(words[(command + 1)...]), environment: printed, directory: directory)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(
                second.stdout.hasPrefix(
                    "run 1 complete: 23 observed, 0 unchanged, 0 changed, 23 new, 0 gone, 0 failed in "))
            #expect(
                FileManager.default.fileExists(atPath: directory.appendingPathComponent("gateway-audit.sqlite").path))
        }
    }

    @Test("`vpn-simulator --verbose` logs every request on stderr, without its credentials")
    func verboseRequests() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("simulator.log")
        var secret = ""
        var password = ""
        try await Self.withSimulator(["--port", "0", "--verbose"], stderr: log) { banner in
            let base = try #require(banner.listeningOn, "banner: \(banner.text)")
            secret = try #require(banner.value("secret key:"))
            let environment = [
                "HW_ACCESS_KEY": try #require(banner.value("access key:")),
                "HW_SECRET_KEY": secret,
                "HW_PROJECT_ID": try #require(banner.value("project id:")),
                "GATEWAY_AUDIT_DB": directory.appendingPathComponent("history.sqlite").path,
            ]
            let id = Scenario.standardGatewayID(1).rawValue
            let collected = try await CLI.run(
                ["collect", "--endpoint", base, "--id", id, "--quiet"], environment: environment)
            #expect(collected.status == 0, "\(collected.stderr)")
            // A password identity on the wall clock: one IAM login serves the whole run (the token's
            // expires_at was a virtual night long past, and every request logged in again).
            let iam = try #require(banner.value("IAM:")).split(separator: " ").map(String.init)
            let user = try #require(iam.firstIndex(of: "user"))
            password = iam[user + 3].trimmingCharacters(in: CharacterSet(charactersIn: ","))
            let login = [
                "HW_USER_NAME": iam[user + 1], "HW_PASSWORD": password, "HW_DOMAIN_NAME": iam[user + 5],
                "HW_AUTH_URL": base + "/v3", "HW_PROJECT_ID": try #require(banner.value("project id:")),
                "GATEWAY_AUDIT_DB": directory.appendingPathComponent("password.sqlite").path,
            ]
            let whole = try await CLI.run(["collect", "--endpoint", base, "--quiet"], environment: login)
            #expect(whole.status == 0, "\(whole.stderr)")
        }
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("customer-gateways/\(Scenario.standardGatewayID(1).rawValue)"), "\(text)")
        #expect(text.contains("GET"), "\(text)")
        #expect(!secret.isEmpty && !text.contains(secret) && !text.contains("SDK-HMAC-SHA256"))
        #expect(!password.isEmpty && !text.contains(password))
        #expect(text.components(separatedBy: "/v3/auth/tokens").count - 1 == 1, "\(text)")
    }

    @Test("205 gateways on one created_at behind `--marker-mode inclusive`: exit 1 and one line on stderr")
    func listingCannotProgress() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let gateways = (0..<210).map { i -> SimulatedGateway in
            let created = Instant(seconds: 1_735_689_600 + Int64(i < 205 ? 0 : i)).iso8601(fractionDigits: 3)
            return SimulatedGateway(
                id: GatewayID(String(format: "00000000-0000-4000-8000-%012d", i)), name: "gw-\(i)",
                idValue: "198.51.\(i / 250).\(i % 250 + 1)", createdAt: created)
        }
        let scenario = Scenario(
            name: "ties", seed: 3, projectID: "0123456789abcdef0123456789abcdef", start: "2025-03-01T02:00:00Z",
            nights: 1, gateways: gateways)
        let file = directory.appendingPathComponent("ties.json")
        try scenario.jsonData().write(to: file)
        try await Self.withSimulator(["--port", "0", "--scenario", file.path, "--marker-mode", "inclusive"]) { banner in
            let base = try #require(banner.listeningOn, "banner: \(banner.text)")
            let environment = [
                "HW_ACCESS_KEY": "SIMULATORACCESSKEY01", "HW_SECRET_KEY": "simulator-secret-key",
                "HW_PROJECT_ID": scenario.projectID,
            ]
            let result = try await CLI.run(
                ["collect", "--endpoint", base, "--db", directory.appendingPathComponent("h.sqlite").path],
                environment: environment)
            #expect(result.status == 1)
            #expect(
                result.stdout.hasPrefix(
                    "run 1 partial: 205 observed, 0 unchanged, 0 changed, 205 new, 0 gone, 0 failed in "))
            #expect(
                result.stderr
                    == "gateway-audit: error: listing incomplete: could not make progress past created_at "
                    + "2025-01-01T00:00:00.000Z: a full page of 200 (the largest limit) brought no gateway not yet "
                    + "listed (more than 200 share one created_at?); 205 of 210 gateways listed\n")
        }
    }

    @Test("a negative number is a value its option checks, not a missing value: its error first, exit 64")
    func negativeValues() async throws {
        for (arguments, message) in [
            (["--port", "-1"], "Error: --port must be from 0 to 65535"),
            (["--latency", "-5"], "Error: --latency must be 0 or more milliseconds"),
        ] {
            let result = try await offPool {
                try Spawn.run(Self.simulatorBinary.path, arguments, environment: ["PATH": "/usr/bin:/bin"])
            }
            let stderr = String(decoding: result.stderr, as: UTF8.self)
            #expect(result.status == 64, "\(arguments): \(stderr)")
            #expect(stderr.hasPrefix(message + "\n"), "\(arguments): \(stderr)")
        }
    }

    @Test("`vpn-simulator --latency 400`: three gateways fetched one at a time take at least 1.2 s")
    func latencyOption() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.withSimulator(["--port", "0", "--latency", "400", "--token", "latency-token"]) { banner in
            let base = try #require(banner.listeningOn, "banner: \(banner.text)")
            #expect(banner.value("latency:") == "400 ms before every API answer (--latency)")
            let ids = (1...3).flatMap { ["--id", Scenario.standardGatewayID($0).rawValue] }
            var result: ProcessResult?
            let took = try await ContinuousClock().measure {
                result = try await CLI.run(
                    [
                        "collect", "--endpoint", base, "--concurrency", "1", "--kind", "customer-gateway", "--db",
                        directory.appendingPathComponent("h.sqlite").path,
                    ] + ids,
                    environment: [
                        "HW_AUTH_TOKEN": "latency-token", "HW_PROJECT_ID": try #require(banner.value("project id:")),
                    ])
            }
            let finished = try #require(result)
            #expect(finished.status == 0, "\(finished.stderr)")
            #expect(finished.stdout.hasPrefix("run 1 complete: 3 observed, 0 unchanged, 0 changed, 3 new, "))
            #expect(took >= .milliseconds(1_200))
        }
    }
}
