import Foundation
import GatewayAudit
import Testing

/// What a report that cannot be written and a verify without its proof say and return, through the built binary:
/// the cause in the system's words with advice that fits it, exit 74 for a failed write (not 2, "usage"), the
/// previous export left in place; a deleted manifest is a failed verification (5), a path with no file a usage
/// error (2).
@Suite("report and verify errors: the cause named, the documented exit status, the previous export kept")
struct ReportErrorTests {
    /// The file-size limit the refused report runs under, in the 512-byte blocks of `ulimit -f` in `sh`: 32 KiB,
    /// what SQLite's WAL index beside the history needs, so only the export outgrows it.
    static let limitBlocks = 64
    static let limitBytes = limitBlocks * 512

    /// The contents of `path`, which must exist.
    static func contents(_ path: String) throws -> Data {
        try #require(FileManager.default.contents(atPath: path), "\(path)")
    }

    /// The temporary files left in `directory`.
    static func temporaries(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
    }

    @Test(
        "a report past the file-size limit is exit 74 naming \"File too large\"; the previous export stays and verifies"
    )
    func fileSizeLimit() async throws {
        try await EndToEnd.with { e in
            // Six nights: the changes dashboard grows well past the limit.
            let first = try await e.collect()
            #expect(first.status == 0, "\(first.stderr)")
            for night in [3, 8, 12, 20, 30] {
                try await e.cloud.advance(to: night)
                let run = try await e.collect(["--quiet"])
                #expect(run.status == 0, "\(run.stderr)")
            }
            // The previous export: the same view in another zone, so its bytes differ from the report refused.
            let previous = try await e.cli(
                ["report", "changes", "--format", "html", "--tz", "Europe/Berlin", "--output", "big.html"])
            #expect(previous.status == 0, "\(previous.stderr)")
            let path = e.directory.appendingPathComponent("big.html").path
            let manifest = ReportManifest.path(for: path)
            let before = try [Self.contents(path), Self.contents(manifest)]
            try #require(before[0].count > Self.limitBytes + 8192, "the export must outgrow the limit")

            // SIGXFSZ is ignored: write(2) fails with EFBIG instead of the signal killing the process.
            let limited = try await CLI.run(
                ["report", "changes", "--format", "html", "--output", "big.html", "--db", e.db],
                directory: e.directory,
                launcher: ["/bin/sh", "-c", "ulimit -f \(Self.limitBlocks); " + #"exec "$0" "$@""#])
            #expect(limited.status == 74, "\(limited.stderr)")
            #expect(limited.stdout.isEmpty)
            #expect(
                limited.stderr
                    == "gateway-audit: error: cannot write big.html (File too large); raise the file-size limit "
                    + "(ulimit -f) or choose another --output\n")

            // The previous pair as it was, verifying; no temporary file left.
            #expect(try [Self.contents(path), Self.contents(manifest)] == before)
            #expect(try Self.temporaries(e.directory) == [])
            let verified = try await e.cli(["verify", "big.html"])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

            // Without the limit the same report is written.
            let unlimited = try await e.cli(["report", "changes", "--format", "html", "--output", "big.html"])
            #expect(unlimited.status == 0, "\(unlimited.stderr)")
            #expect(try Self.contents(path) != before[0])
        }
    }

    @Test("an --output the user must change (no such folder, a name too long) stays exit 2, naming the cause")
    func pathProblemsAreUsage() async throws {
        try await EndToEnd.with { e in
            let collected = try await e.collect()
            #expect(collected.status == 0, "\(collected.stderr)")
            let folder = e.directory.appendingPathComponent("nope").path
            let long = String(repeating: "n", count: 250) + ".csv"
            let cases: [(output: String, line: String)] = [
                (
                    folder + "/changes.csv",
                    "cannot write \(folder)/changes.csv (folder \(folder) does not exist); choose another --output "
                        + "or check permissions"
                ),
                (long, "cannot write \(long) (File name too long); choose another --output or check permissions"),
            ]
            for (output, line) in cases {
                let refused = try await e.cli(["report", "changes", "--output", output])
                #expect(refused.status == 2, "\(output)")
                #expect(refused.stdout.isEmpty, "\(output)")
                #expect(refused.stderr == "gateway-audit: error: \(line)\n", "\(output)")
            }
            #expect(try Self.temporaries(e.directory) == [])
        }
    }

    @Test("verify of an export whose manifest was deleted is exit 5; of a path with no file, exit 2")
    func missingManifestOrFile() async throws {
        try await EndToEnd.with { e in
            let collected = try await e.collect()
            #expect(collected.status == 0, "\(collected.stderr)")
            for name in ["x.csv", "y.csv"] {
                let written = try await e.cli(["report", "changes", "--output", name])
                #expect(written.status == 0, "\(written.stderr)")
            }
            func path(_ name: String) -> String { e.directory.appendingPathComponent(name).path }

            // The proof removed: a verification failure, which a script alerting on 5 sees.
            try FileManager.default.removeItem(atPath: path("x.csv.manifest.json"))
            let unproven = try await e.cli(["verify", "x.csv"])
            #expect(unproven.status == 5)
            #expect(unproven.stdout.isEmpty)
            #expect(
                unproven.stderr
                    == "gateway-audit: error: x.csv: the manifest x.csv.manifest.json is missing, so nothing proves "
                    + "the file; only exports written by `gateway-audit report` have one\n")
            // Signed or not, with or without a key to check it against: the same.
            let keyed = try await e.cli(["verify", "x.csv", "--public-key", path("absent.pub")])
            #expect(keyed.status == 5)
            #expect(keyed.stderr == unproven.stderr)

            // No file at the path (mistyped, or the export itself deleted, its manifest left): a usage error.
            try FileManager.default.removeItem(atPath: path("y.csv"))
            for name in ["nothere.csv", "y.csv"] {
                let absent = try await e.cli(["verify", name])
                #expect(absent.status == 2, "\(name)")
                #expect(absent.stdout.isEmpty, "\(name)")
                #expect(absent.stderr == "gateway-audit: error: no file at \(name); check the path\n", "\(name)")
            }
        }
    }
}
