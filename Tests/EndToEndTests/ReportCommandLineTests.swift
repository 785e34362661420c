import Foundation
import GatewayAudit
import Testing

/// `report` and `verify` options and failures, through the built binary (no simulator needed).
@Suite("report and verify on the command line: parse-time checks and read failures")
struct ReportCommandLineTests {
    func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ga-report-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("bad --tz, --since and --until values are one-line errors with exit status 2, before the database is opened")
    func badValues() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A database path that cannot be opened: reaching it would exit 4 instead.
        let db = directory.appendingPathComponent("missing/history.sqlite").path

        let zone = try await CLI.run(["report", "changes", "--tz", "Europe/Berlln", "--db", db])
        #expect(zone.status == 2)
        #expect(
            zone.stderr == "gateway-audit: error: unknown time zone \"Europe/Berlln\" (did you mean Europe/Berlin?)\n")

        let since = try await CLI.run(["report", "changes", "--since", "yesterday", "--db", db])
        #expect(since.status == 2)
        #expect(since.stderr == "gateway-audit: error: \(ReportError.invalidTime("yesterday"))\n")

        let range = try await CLI.run([
            "report", "history", "--since", "2025-03-05", "--until", "2025-03-01", "--db", db,
        ])
        #expect(range.status == 2)
        #expect(range.stderr == "gateway-audit: error: --since 2025-03-05 is after --until 2025-03-01; swap them\n")

        let listing = try await CLI.run(["gateways", "--tz", "Mars/Olympus", "--db", db])
        #expect(listing.status == 2)
        #expect(listing.stderr.hasPrefix("gateway-audit: error: unknown time zone \"Mars/Olympus\""))
        #expect(listing.stdout.isEmpty)
    }

    @Test("help goes to standard output with status 0")
    func help() async throws {
        let help = try await CLI.run(["report", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: gateway-audit report"))
        #expect(help.stderr.isEmpty)
    }

    @Test("verify of an export that cannot be read exits 74 and says so, not 5 'changed after export'")
    func unreadableExport() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let export = directory.appendingPathComponent("changes.UTC.csv")
        let manifest = """
            {"file":"changes.UTC.csv","sha256":"\(String(repeating: "0", count: 64))","bytes":0,"view":"changes",\
            "format":"csv","zone":"UTC","filters":"all gateways, all time","rows":0,"chain_head":"","endpoint":"",\
            "project":"","tool_version":"test","generated_at":"2025-03-06T00:00:00Z"}
            """
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: ReportManifest.path(for: export.path)))
        // A folder in place of the file: it opens, but reading it fails.
        try FileManager.default.createDirectory(at: export, withIntermediateDirectories: false)
        let result = try await CLI.run(["verify", export.path])
        #expect(result.status == 74)
        #expect(result.stderr.hasPrefix("gateway-audit: error: reading \(export.path) failed after 0 bytes"))
        #expect(!result.stderr.contains("changed after export"))
    }
}
