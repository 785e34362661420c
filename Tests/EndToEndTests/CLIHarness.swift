import Foundation
import GatewayAudit
import Testing
import TestSupport
import VPNSimulator

/// What a finished process printed and returned.
struct ProcessResult: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the built `gateway-audit` binary as a subprocess, as cron or a user would.
enum CLI {
    static let binary: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("gateway-audit")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[2].appendingPathComponent("gateway-audit")
    }()

    /// Runs `gateway-audit arguments...` with exactly `environment` (plus PATH and TZ from the test run).
    /// `launcher` runs the binary through another program (e.g. `setpriv` to drop root).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, launcher: [String] = []
    ) async throws -> ProcessResult {
        let program = launcher.first ?? binary.path
        let programArguments = launcher.isEmpty ? arguments : launcher.dropFirst() + [binary.path] + arguments
        var env = ["PATH": "/usr/bin:/bin"]
        if let tz = ProcessInfo.processInfo.environment["TZ"] { env["TZ"] = tz }
        for (key, value) in environment { env[key] = value }
        let variables = env
        // Reading pipes and waiting for exit block a thread: off the cooperative pool, which also serves
        // the in-process simulator the child talks to.
        let run = try await offPool {
            try Spawn.run(program, programArguments, environment: variables, directory: directory?.path)
        }
        return ProcessResult(
            status: run.status, stdout: String(decoding: run.stdout, as: UTF8.self),
            stderr: String(decoding: run.stderr, as: UTF8.self))
    }
}

/// A temp folder and a simulator on port 0 for one end-to-end test.
struct EndToEnd {
    let directory: URL
    let running: RunningSimulator
    var cloud: SimulatedCloud { running.cloud }
    var db: String { directory.appendingPathComponent("history.sqlite").path }

    static func with(_ body: (EndToEnd) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var credentials = SimulatorCredentials.standard
        credentials.sdkDateClock = .wall
        let cloud = try SimulatedCloud(scenario: .standard, credentials: credentials)
        let running = try await SimulatorServer(cloud: cloud).start()
        let e2e = EndToEnd(directory: directory, running: running)
        do {
            try await body(e2e)
        } catch {
            await running.stop()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await running.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var akskEnvironment: [String: String] {
        let pair = SimulatorCredentials.standard.keyPairs[0]
        return ["HW_ACCESS_KEY": pair.accessKey, "HW_SECRET_KEY": pair.secretKey, "HW_PROJECT_ID": cloud.projectID]
    }

    func collect(_ extra: [String] = [], environment: [String: String]? = nil) async throws -> ProcessResult {
        try await CLI.run(
            ["collect", "--endpoint", running.baseURLString, "--db", db] + extra,
            environment: environment ?? akskEnvironment)
    }

    func cli(_ arguments: [String]) async throws -> ProcessResult {
        try await CLI.run(arguments + ["--db", db], directory: directory)
    }
}

/// Runs the sqlite3 shell on a database (an independent reader and writer); returns its trimmed output.
@discardableResult
func sqlite3(_ db: String, _ sql: String) throws -> String {
    try SQLiteShell.run(db, sql).trimmingCharacters(in: .whitespacesAndNewlines)
}
