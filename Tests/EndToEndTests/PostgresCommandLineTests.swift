import TestSupport
import Foundation
import Testing
import VPNSimulator

@Suite(
    "gateway-audit on PostgreSQL as a subprocess", .serialized,
    .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipped))
struct PostgresCommandLineTests {
    /// The test server's password, which no output may show.
    static var password: String { URLComponents(string: PostgresTestServer.url ?? "")?.password ?? "-" }

    @Test("collect into PostgreSQL, copy SQLite there: the same reports; verify, then an edit found by both")
    func collectCopyVerify() async throws {
        try await EndToEnd.with { e in
            let pg = try await PostgresTestServer.freshDatabase()
            for night in [1, 3, 8] {
                try await e.cloud.advance(to: night)
                let result = try await e.collect(["--quiet"])
                #expect(result.status == 0, "\(result.stderr)")
                let direct = try await CLI.run(
                    ["collect", "--endpoint", e.running.baseURLString, "--db", pg, "--quiet"],
                    environment: e.akskEnvironment)
                #expect(direct.status == 0, "\(direct.stderr)")
                #expect(!direct.stdout.contains(Self.password) && !direct.stderr.contains(Self.password))
            }
            let copied = try await PostgresTestServer.freshDatabase()
            let copy = try await CLI.run(["copy", "--from", e.db, "--to", copied])
            #expect(copy.status == 0, "\(copy.stderr)")
            #expect(copy.stdout.hasPrefix("copied 3 run(s)") && !copy.stdout.contains(Self.password))
            for view in ["history", "changes", "timestamps", "status"] {
                let a = try await CLI.run(["report", view, "--format", "csv", "--output", "-", "--db", e.db])
                let b = try await CLI.run(["report", view, "--format", "csv", "--output", "-", "--db", copied])
                #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
                #expect(a.stdout == b.stdout && !a.stdout.isEmpty, "report \(view)")
            }
            let runs = try await CLI.run(["runs", "--db", pg])
            #expect(runs.status == 0 && runs.stdout.contains("complete"))
            for db in [e.db, copied, pg] {
                let verify = try await CLI.run(["verify", "--db", db])
                #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
            }
            let edit =
                "UPDATE snapshot SET content = replace(content, '\"name\"', '\"name \"') WHERE id = (SELECT MIN(id) FROM snapshot WHERE seq = 2)"
            try sqlite3(e.db, edit)
            try PostgresTestServer.psql(copied, edit)
            let a = try await CLI.run(["verify", "--db", e.db])
            let b = try await CLI.run(["verify", "--db", copied])
            #expect(a.status == 5 && b.status == 5)
            // The tampering line names the database as every other message does: without its password.
            #expect(b.stderr.hasPrefix("gateway-audit: error: postgres://"), "\(b.stderr)")
            #expect(!b.stderr.contains(Self.password), "\(b.stderr)")
            #expect(
                a.stdout.replacingOccurrences(of: e.db, with: "DB")
                    == b.stdout.replacingOccurrences(of: copied, with: "DB"))
        }
    }

    @Test("unreachable, wrong password, malformed URL, foreign or newer database: one line, nothing written")
    func badInput() async throws {
        let unreachable = try await CLI.run(["runs", "--db", "postgres://gaudit:secret-1@127.0.0.1:1/audit"])
        #expect(unreachable.status == 4 && unreachable.stderr.split(separator: "\n").count == 1)
        #expect(unreachable.stderr.contains("cannot reach the server") && !unreachable.stderr.contains("secret-1"))
        var wrong = try #require(URLComponents(string: try await PostgresTestServer.freshDatabase()))
        wrong.password = "not-the-password-42"
        let refused = try await CLI.run(["runs", "--db", try #require(wrong.string)])
        #expect(refused.status == 4 && refused.stderr.contains("password authentication failed"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("not-the-password-42"))
        // The test cluster offers no TLS: a URL that requires it is refused before any login.
        let tls = try await PostgresTestServer.freshDatabase() + "?sslmode=require"
        let noTLS = try await CLI.run(["runs", "--db", tls])
        #expect(noTLS.status == 4 && noTLS.stderr.contains("does not offer TLS"), "\(noTLS.stderr)")
        #expect(!noTLS.stderr.contains(Self.password))
        let malformed = try await CLI.run(["runs", "--db", "postgres://127.0.0.1:5432"])
        #expect(malformed.status == 2 && malformed.stderr.contains("names no database"), "\(malformed.stderr)")
        let foreign = try await PostgresTestServer.freshDatabase()
        try PostgresTestServer.psql(foreign, "CREATE TABLE invoices (id integer)")
        let intoForeign = try await CLI.run(["import", "/dev/null", "--db", foreign])
        #expect(intoForeign.status == 4 && intoForeign.stderr.contains("did not create"), "\(intoForeign.stderr)")
        #expect(
            try PostgresTestServer.psql(foreign, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "1")
        let newer = try await PostgresTestServer.freshDatabase()
        let first = try await CLI.run(["copy", "--from", "/dev/null/none.sqlite", "--to", newer])
        #expect(first.status == 4)
        try PostgresTestServer.psql(
            newer,
            "CREATE TABLE gateway_audit_migration (identifier TEXT PRIMARY KEY); INSERT INTO gateway_audit_migration VALUES ('pg1-history'), ('pg9-future')"
        )
        let refusedNewer = try await CLI.run(["runs", "--db", newer])
        #expect(
            refusedNewer.status == 4 && refusedNewer.stderr.contains("newer gateway-audit"), "\(refusedNewer.stderr)")
        #expect(try PostgresTestServer.psql(newer, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "1")
    }
}
