import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Resource faults a nightly job meets: each gives its documented exit code and one-line message, and
/// what was stored before is intact. (The file-size limit is in Tests/torture/resources.sh.)
@Suite("resource faults: documented exit code and message, previous data intact", .serialized)
struct ResourceFaultTests {
    @Test("a database replaced by a non-SQLite file: exit 4, the file untouched")
    func notADatabase() async throws {
        try await EndToEnd.with { e in
            let original = Data("these are my notes, not a database\n".utf8)
            try original.write(to: URL(fileURLWithPath: e.db))
            let result = try await e.collect()
            #expect(result.status == 4)
            #expect(
                result.stderr
                    == "gateway-audit: error: \(e.db) is not an SQLite database; point --db at a gateway-audit database or a new file name\n"
            )
            #expect(result.stdout.isEmpty)
            #expect(try Data(contentsOf: URL(fileURLWithPath: e.db)) == original)
            #expect(!FileManager.default.fileExists(atPath: e.db + "-wal"))
        }
    }

    @Test("a database from a newer schema: exit 4 for collect and for readers, history unchanged")
    func newerSchema() async throws {
        try await EndToEnd.with { e in
            #expect(try await e.collect().status == 0)
            _ = try sqlite3(e.db, "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')")
            let before = try Data(contentsOf: URL(fileURLWithPath: e.db))
            let message =
                "gateway-audit: error: \(e.db) was written by a newer gateway-audit (schema v99-from-the-future); upgrade gateway-audit to read it\n"
            let collect = try await e.collect()
            #expect(collect.status == 4)
            #expect(collect.stderr == message)
            for reader in [["gateways"], ["runs"], ["report", "history", "--output", "-"]] {
                let result = try await e.cli(reader)
                #expect(result.status == 4, "\(reader)")
                #expect(result.stderr == message, "\(reader)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: e.db)) == before, "the file was left as it is")
            #expect(try sqlite3(e.db, "SELECT COUNT(*) FROM snapshot") == "23")
        }
    }

    @Test("a read-only database folder: collect exits 4 naming the problem, readers read it; nothing lost")
    func readOnlyFolder() async throws {
        // Root ignores permission bits, so as root the binary runs as `nobody` through setpriv.
        let launcher: [String]
        if getuid() == 0 {
            let setpriv = "/usr/bin/setpriv"
            guard FileManager.default.isExecutableFile(atPath: setpriv) else {
                Issue.record("running as root without /usr/bin/setpriv: cannot drop privileges to test permissions")
                return
            }
            launcher = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        } else {
            launcher = []
        }
        try await EndToEnd.with { e in
            #expect(try await e.collect().status == 0)
            let folder = e.directory.path
            try? FileManager.default.removeItem(atPath: e.db + ".lock")
            // The file itself stays writable for everyone: only the folder refuses new files
            // (the WAL, the shared-memory index and the run lock must be created beside it).
            let customerGateways = try sqlite3(e.db, "SELECT COUNT(*) FROM gateway WHERE kind = 'customer-gateway'")
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: e.db)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }
            let before = try Data(contentsOf: URL(fileURLWithPath: e.db))
            let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()

            let result = try await CLI.run(
                ["collect", "--endpoint", e.running.baseURLString, "--db", e.db], environment: e.akskEnvironment,
                launcher: launcher)
            #expect(result.status == 4, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("gateway-audit: error: cannot write \(e.db)"), "\(result.stderr)")
            #expect(result.stderr.hasSuffix("; check the permissions of the file and its folder\n"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)

            // SQLite cannot open a WAL database as usual where it may not create the `-shm` index; with no
            // writer running (no `-shm`, no `-wal`) the file does not change, and readers open it immutable:
            // an auditor reads and verifies the collector's history from a folder only the collector writes.
            let gateways = try await CLI.run(["gateways", "--format", "csv", "--db", e.db], launcher: launcher)
            #expect(gateways.status == 0, "\(gateways.stderr)")
            #expect(gateways.stdout.split(separator: "\r\n").count == (Int(customerGateways) ?? 0) + 1)
            let verify = try await CLI.run(["verify", "--db", e.db], launcher: launcher)
            #expect(verify.status == 0, "\(verify.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == files)

            #expect(try Data(contentsOf: URL(fileURLWithPath: e.db)) == before)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            let again = try await e.collect()
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.hasPrefix("run 2 complete: 23 observed, 23 unchanged"))
        }
    }
}
