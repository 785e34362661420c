import Foundation
import GatewayAudit
import Testing

/// Where `report` writes, through the built binary: never over what is already stored (the history, the
/// signing key), never through a link planted beside the output, and an export with its manifest replaced
/// as a pair or not at all.
@Suite("report --output: nothing stored is overwritten, no planted link is followed, the pair stays a pair")
struct ReportOutputSafetyTests {
    /// The contents of `path`, or nil when it cannot be read.
    static func contents(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
    }

    /// The type of what is at `path` itself (a link is not followed).
    static func type(_ path: String) throws -> FileAttributeType? {
        try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
    }

    /// The temporary files left in `directory`.
    static func temporaries(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
    }

    @Test("--output naming the history database, its WAL or the signing key (or its manifest naming one) is exit 2")
    func storedFilesRefused() async throws {
        try await EndToEnd.with { e in
            let collected = try await e.collect()
            #expect(collected.status == 0, "\(collected.stderr)")
            let runs = try await e.cli(["runs"])
            #expect(runs.status == 0, "\(runs.stderr)")
            func path(_ name: String) -> String { e.directory.appendingPathComponent(name).path }
            let key = path("sign.key")
            let made = try await CLI.run(["keygen", "--private-key", key, "--public-key", path("audit.pub")])
            #expect(made.status == 0, "\(made.stderr)")
            // A private key where an export's manifest would go.
            let manifestKey = path("export.csv.manifest.json")
            let madeThere = try await CLI.run(["keygen", "--private-key", manifestKey, "--public-key", path("b.pub")])
            #expect(madeThere.status == 0, "\(madeThere.stderr)")
            let keys = [Self.contents(key), Self.contents(manifestKey)]
            let database = "the history database itself; choose another file"

            let cases: [(arguments: [String], line: String)] = [
                (["report", "changes", "--output", e.db], "--output \(e.db) is \(database)"),
                // Another spelling of the same file (the working directory is the database's folder).
                (
                    ["report", "history", "--format", "html", "--output", "./history.sqlite"],
                    "--output ./history.sqlite is \(database)"
                ),
                (["report", "digest", "--output", "history.sqlite"], "--output history.sqlite is \(database)"),
                (
                    ["report", "timestamps", "--format", "json", "--output", "history.sqlite-wal"],
                    "--output history.sqlite-wal is the history database's write-ahead log; choose another file"
                ),
                (
                    ["report", "changes", "--sign-key", key, "--output", key],
                    "--output \(key) is the signing key itself; choose another file"
                ),
                (
                    ["report", "changes", "--sign-key", manifestKey, "--output", "export.csv"],
                    "the manifest of --output export.csv (export.csv.manifest.json) is the signing key itself; "
                        + "choose another file"
                ),
            ]
            for (arguments, line) in cases {
                let refused = try await e.cli(arguments)
                #expect(refused.status == 2, "\(arguments)")
                #expect(refused.stdout.isEmpty, "\(arguments)")
                #expect(refused.stderr == "gateway-audit: error: \(line)\n", "\(arguments)")
            }

            // Still the history, as it was; the keys as they were; nothing written beside them.
            let header = try #require(Self.contents(e.db)).prefix(16)
            #expect(header == Data("SQLite format 3\0".utf8))
            let after = try await e.cli(["runs"])
            #expect(after.status == 0, "\(after.stderr)")
            #expect(after.stdout == runs.stdout)
            #expect([Self.contents(key), Self.contents(manifestKey)] == keys)
            for written in ["history.sqlite.manifest.json", "history.sqlite-wal.manifest.json", "export.csv"] {
                #expect(!FileManager.default.fileExists(atPath: path(written)))
            }
            #expect(try Self.temporaries(e.directory) == [])

            // A file of its own is written as before, signed with that key.
            let fine = try await e.cli(["report", "changes", "--sign-key", key, "--output", "changes.csv"])
            #expect(fine.status == 0, "\(fine.stderr)")
        }
    }

    @Test("a link planted at a predictable temporary name is never written through; the export is a file")
    func plantedLinkNotFollowed() async throws {
        try await EndToEnd.with { e in
            let collected = try await e.collect()
            #expect(collected.status == 0, "\(collected.stderr)")
            let victim = e.directory.appendingPathComponent("victim.txt").path
            try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
            let output = e.directory.appendingPathComponent("changes.csv").path
            let manifest = ReportManifest.path(for: output)
            // `exec` keeps the shell's process id: the links sit at the names a temporary file named after the
            // process would have (`.<name>.<pid>.tmp`), for the export and for its manifest.
            let links = [output, manifest].map { path -> String in
                let url = URL(fileURLWithPath: path)
                return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).$$.tmp").path
            }
            let plant = links.map { "ln -s '\(victim)' \"\($0)\"" }.joined(separator: " && ")
            let result = try await CLI.run(
                ["report", "changes", "--output", output, "--db", e.db], directory: e.directory,
                launcher: ["/bin/sh", "-c", plant + #" && exec "$0" "$@""#])
            #expect(result.status == 0, "\(result.stderr)")

            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
            #expect(try Self.type(output) == .typeRegular)
            #expect(try Self.type(manifest) == .typeRegular)
            #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("gateway_id,change,"))
            let verified = try await e.cli(["verify", output])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            // The planted links are left as they were, and no temporary file of the export is left.
            let planted = try Self.temporaries(e.directory)
            #expect(planted.count == 2)
            for name in planted {
                let path = e.directory.appendingPathComponent(name).path
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == victim)
            }
        }
    }

    @Test("a folder where the manifest (or the export) goes: exit 2 naming it, the previous export byte for byte")
    func pairReplacedWholeOrNotAtAll() async throws {
        try await EndToEnd.with { e in
            let collected = try await e.collect()
            #expect(collected.status == 0, "\(collected.stderr)")
            let report = e.directory.appendingPathComponent("changes.csv").path
            let manifest = ReportManifest.path(for: report)
            // The previous export, in another zone: other bytes than the one refused below.
            let first = try await e.cli(["report", "changes", "--tz", "Europe/Berlin", "--output", "changes.csv"])
            #expect(first.status == 0, "\(first.stderr)")
            let previous = try #require(Self.contents(report))
            try FileManager.default.removeItem(atPath: manifest)
            try FileManager.default.createDirectory(atPath: manifest, withIntermediateDirectories: false)

            let refused = try await e.cli(["report", "changes", "--output", "changes.csv"])
            #expect(refused.status == 2)
            #expect(
                refused.stderr
                    == "gateway-audit: error: cannot write changes.csv.manifest.json (a folder is in its place; "
                    + "nothing was replaced); choose another --output or check permissions\n")
            #expect(Self.contents(report) == previous)
            #expect(try Self.type(manifest) == .typeDirectory)
            #expect(try Self.temporaries(e.directory) == [])

            // A folder in the export's own place: nothing is written beside it either.
            let folder = e.directory.appendingPathComponent("status.csv").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            let blocked = try await e.cli(["report", "status", "--output", "status.csv"])
            #expect(blocked.status == 2)
            #expect(
                blocked.stderr
                    == "gateway-audit: error: cannot write status.csv (a folder is in its place; nothing was "
                    + "replaced); choose another --output or check permissions\n")
            #expect(!FileManager.default.fileExists(atPath: ReportManifest.path(for: folder)))
            #expect(try Self.temporaries(e.directory) == [])
        }
    }
}
