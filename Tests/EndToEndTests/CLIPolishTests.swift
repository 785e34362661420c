import Foundation
import GatewayAudit
import TestSupport
import Testing

/// What the smaller commands print, through the built binary: `config check`, `keygen`, the listings, and
/// the last line of a failing command under the systemd journal.
@Suite("config check, keygen, listings and the journal, as a user sees them")
struct CLIPolishTests {
    /// A fresh temp folder for `body`, removed afterwards.
    static func inFolder(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-polish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory)
    }

    /// An estate file of one AK/SK account (named with a terminal escape) and one project, and `database`.
    static func estate(database: String) -> String {
        """
        database = "\(database)"

        [[account]]
        name = "prod\\u001b[2J"
        cloud = "huawei"
        auth = "aksk"
        access_key_env = "PROD_AK"
        secret_key_env = "PROD_SK"
        regions = ["eu-west-101"]
        projects = ["p1"]

        """
    }

    static let keys = ["PROD_AK": "AKEXAMPLE", "PROD_SK": "SKEXAMPLE"]

    static func mode(_ path: String) throws -> Int? {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    // MARK: config check

    @Test("config check shows a PostgreSQL database without its password, and the file's names without escapes")
    func configCheckRedacts() async throws {
        try await Self.inFolder { directory in
            let config = directory.appendingPathComponent("estate.toml").path
            let url = "postgres://audit:s3cret@db.example:5432/history?sslmode=verify-full&sslrootcert=/etc/ca.pem"
            try Self.estate(database: url).write(toFile: config, atomically: true, encoding: .utf8)
            let check = try await CLI.run(["config", "check", "--config", config], environment: Self.keys)
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stderr.isEmpty)
            #expect(
                check.stdout == """
                    \(config): ok, 1 account(s), 1 scope(s), database \
                    postgres://audit@db.example:5432/history?sslmode=verify-full&sslrootcert=/etc/ca.pem
                    ACCOUNT   CLOUD   AUTH  REGION       PROJECT_ID  ENDPOINT
                    prod\u{FFFD}[2J  huawei  aksk  eu-west-101  p1          https://vpn.eu-west-101.myhuaweicloud.com

                    """)
            #expect(!check.stdout.contains("s3cret") && !check.stdout.contains("\u{1B}"))

            // A URL the store could not open is a problem of the file, named without the password.
            let bad = "postgres://audit:s3cret@db.example/history?sslmode=bogus"
            try Self.estate(database: bad).write(toFile: config, atomically: true, encoding: .utf8)
            let invalid = try await CLI.run(["config", "check", "--config", config], environment: Self.keys)
            #expect(invalid.status == 2)
            #expect(invalid.stdout.isEmpty)
            #expect(
                invalid.stderr
                    == "gateway-audit: error: \(config): database: sslmode=bogus is not one of disable, prefer, "
                    + "require, verify-ca, verify-full\n")
            #expect(!invalid.stderr.contains("s3cret"))

            // An SQLite path is shown as it is.
            let path = directory.appendingPathComponent("history.sqlite").path
            try Self.estate(database: path).write(toFile: config, atomically: true, encoding: .utf8)
            let sqlite = try await CLI.run(["config", "check", "--config", config], environment: Self.keys)
            #expect(sqlite.status == 0, "\(sqlite.stderr)")
            #expect(sqlite.stdout.hasPrefix("\(config): ok, 1 account(s), 1 scope(s), database \(path)\n"))
        }
    }

    @Test("config check --resolve with a region it cannot list: no ok, the region's line and exit 3")
    func configCheckResolveFails() async throws {
        try await EstateTests.with { f in
            var wrong = f.environment
            wrong["OTC_PASSWORD"] = "wrong"
            let check = try await CLI.run(["config", "check", "--config", f.config, "--resolve"], environment: wrong)
            #expect(check.status == 3, "\(check.stderr)")
            #expect(check.stdout.isEmpty, "nothing is ok: \(check.stdout)")
            let lines = check.stderr.split(separator: "\n").map(String.init)
            #expect(
                lines.contains {
                    $0.hasPrefix(
                        "gateway-audit: otc/eu-de/all: cannot list projects: authentication rejected (HTTP 401")
                }, "\(check.stderr)")
            #expect(lines.last == "gateway-audit: error: some projects could not be listed", "\(check.stderr)")

            // Under the journal both are errors (priority 3).
            let journal = try await CLI.run(
                ["config", "check", "--config", f.config, "--resolve"],
                environment: wrong.merging(["JOURNAL_STREAM": Spawn.journalStream]) { $1 })
            #expect(journal.status == 3)
            #expect(journal.stdout.isEmpty)
            let journalLines = journal.stderr.split(separator: "\n").map(String.init)
            #expect(journalLines.contains { $0.hasPrefix("<3>gateway-audit: otc/eu-de/all: cannot list projects: ") })
            #expect(journalLines.last == "<3>gateway-audit: error: some projects could not be listed")

            let good = try await CLI.run(
                ["config", "check", "--config", f.config, "--resolve"], environment: f.environment)
            #expect(good.status == 0, "\(good.stderr)")
            #expect(good.stdout.hasPrefix("\(f.config): ok, 2 account(s), 5 scope(s), database \(f.db)\n"))
        }
    }

    // MARK: the journal

    @Test("under the systemd journal the last error line starts with <3>; elsewhere it does not")
    func errorLineUnderJournal() async throws {
        try await Self.inFolder { directory in
            let missing = directory.appendingPathComponent("none.sqlite").path
            let plain = try await CLI.run(["runs", "--db", missing])
            #expect(plain.status == 4)
            let line =
                "gateway-audit: error: no database at \(missing); run `gateway-audit collect` (or `gateway-audit demo`) "
                + "first, or pass --db\n"
            #expect(plain.stderr == line)

            let journal = try await CLI.run(
                ["runs", "--db", missing], environment: ["JOURNAL_STREAM": Spawn.journalStream])
            #expect(journal.status == 4)
            #expect(journal.stderr == "<3>" + line)

            let usage = try await CLI.run(
                ["runs", "--limit", "0"], environment: ["JOURNAL_STREAM": Spawn.journalStream])
            #expect(usage.status == 2)
            #expect(usage.stderr == "<3>gateway-audit: error: --limit must be at least 1 (see --help)\n")

            // A shell started from a service inherits JOURNAL_STREAM; its error output goes elsewhere.
            let inherited = try await CLI.run(["runs", "--db", missing], environment: ["JOURNAL_STREAM": "8:4242"])
            #expect(inherited.status == 4)
            #expect(inherited.stderr == line)
        }
    }

    // MARK: keygen

    @Test("keygen: the private key 0600 whatever the umask, the public key 0644, and the line naming both")
    func keygenModes() async throws {
        try await Self.inFolder { directory in
            let key = directory.appendingPathComponent("sign.key").path
            let pub = directory.appendingPathComponent("audit.pub").path
            // umask 0 would leave a file created 0644 and then narrowed readable by everyone for an instant.
            let made = try await CLI.run(
                ["keygen", "--private-key", key, "--public-key", pub],
                launcher: ["/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\""])
            #expect(made.status == 0, "\(made.stderr)")
            #expect(made.stderr.isEmpty)
            #expect(made.stdout.hasPrefix("wrote \(key) and \(pub) (key SHA256:"), "\(made.stdout)")
            #expect(try Self.mode(key) == 0o600)
            #expect(try Self.mode(pub) == 0o644)
            let privateText = try String(contentsOfFile: key, encoding: .utf8)
            #expect(privateText.hasPrefix("gateway-audit-ed25519-private-key "))
            #expect(try String(contentsOfFile: pub, encoding: .utf8).hasPrefix("gateway-audit-ed25519-public-key "))
        }
    }

    @Test("keygen never overwrites: one line naming the path, exit 2, both files as they were")
    func keygenRefusesExisting() async throws {
        try await Self.inFolder { directory in
            let key = directory.appendingPathComponent("sign.key").path
            let pub = directory.appendingPathComponent("audit.pub").path
            let first = try await CLI.run(["keygen", "--private-key", key, "--public-key", pub])
            #expect(first.status == 0, "\(first.stderr)")
            let privateText = try String(contentsOfFile: key, encoding: .utf8)
            let publicText = try String(contentsOfFile: pub, encoding: .utf8)

            let again = try await CLI.run(["keygen", "--private-key", key, "--public-key", pub])
            #expect(again.status == 2)
            #expect(again.stdout.isEmpty)
            #expect(
                again.stderr
                    == "gateway-audit: error: cannot write key \(key): it already exists, and keys are never "
                    + "overwritten; remove it or choose another path\n")
            #expect(try String(contentsOfFile: key, encoding: .utf8) == privateText)
            #expect(try String(contentsOfFile: pub, encoding: .utf8) == publicText)

            // Only the public key's path is taken: no private key is left without its public one.
            let other = directory.appendingPathComponent("other.key").path
            let taken = try await CLI.run(["keygen", "--private-key", other, "--public-key", pub])
            #expect(taken.status == 2)
            #expect(
                taken.stderr
                    == "gateway-audit: error: cannot write key \(pub): it already exists, and keys are never "
                    + "overwritten; remove it or choose another path\n")
            #expect(!taken.stderr.contains("--output"))
            #expect(!FileManager.default.fileExists(atPath: other))
            #expect(try String(contentsOfFile: pub, encoding: .utf8) == publicText)
        }
    }

    @Test("keygen with one path for both keys, or a public key it cannot write: exit 2 and no file left")
    func keygenNoHalfPair() async throws {
        try await Self.inFolder { directory in
            let same = directory.appendingPathComponent("both.key").path
            let one = try await CLI.run(["keygen", "--private-key", same, "--public-key", same])
            #expect(one.status == 2)
            #expect(
                one.stderr
                    == "gateway-audit: error: cannot write key \(same): it names the private key's file too; give "
                    + "the public key a path of its own\n")
            #expect(!FileManager.default.fileExists(atPath: same))

            // Two spellings of one file.
            let alias = directory.path + "/./both.key"
            let aliased = try await CLI.run(["keygen", "--private-key", same, "--public-key", alias])
            #expect(aliased.status == 2)
            #expect(
                aliased.stderr
                    == "gateway-audit: error: cannot write key \(alias): it names the private key's file too; give "
                    + "the public key a path of its own\n")
            #expect(!FileManager.default.fileExists(atPath: same))

            let key = directory.appendingPathComponent("sign.key").path
            let unwritable = directory.appendingPathComponent("no-such-folder/audit.pub").path
            let failed = try await CLI.run(["keygen", "--private-key", key, "--public-key", unwritable])
            #expect(failed.status == 2)
            #expect(
                failed.stderr
                    == "gateway-audit: error: cannot write key \(unwritable): No such file or directory; check that "
                    + "its folder exists and can be written\n")
            #expect(!FileManager.default.fileExists(atPath: key), "no private key without its public key")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    // MARK: listings

    @Test("gateways and resources tables show control characters and escapes in names, never send them")
    func listingsSanitiseNames() async throws {
        try await Self.inFolder { directory in
            // Gateway `a` of project "pa" is renamed to a name with line breaks and a terminal escape.
            let db = try await DigestCommandLineTests().estateHistory(directory)
            let shown = "alpha⏎bravo (b)⏎  gone\u{FFFD}[2K"
            for arguments in [["gateways"], ["resources"]] {
                let listed = try await CLI.run(arguments + ["--db", db])
                #expect(listed.status == 0, "\(listed.stderr)")
                let lines = listed.stdout.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.count == 4, "a heading, two rows, the final newline: \(listed.stdout)")
                #expect(lines.contains { $0.contains("  \(shown)  ") }, "\(listed.stdout)")
                #expect(!listed.stdout.contains("\u{1B}") && !listed.stdout.contains("\r"))
            }
            // CSV and JSON keep the name as stored: they quote and escape it.
            let csv = try await CLI.run(["gateways", "--db", db, "--format", "csv"])
            #expect(csv.stdout.contains("\"alpha\nbravo (b)\r\n  gone\u{1B}[2K\""), "\(csv.stdout)")
        }
    }

    @Test("runs, gateways and resources say when filters left out every recorded row, and how many there are")
    func listingsNoMatch() async throws {
        try await Self.inFolder { directory in
            let db = try await DigestCommandLineTests().estateHistory(directory)
            let cases: [([String], String)] = [
                (["runs", "--project", "nope"], "No runs match --project nope (4 recorded).\n"),
                (
                    ["runs", "--account", "acct", "--region", "r9"],
                    "No runs match --account acct --region r9 (4 recorded).\n"
                ),
                (["gateways", "--project", "nope"], "No gateways match --project nope (2 recorded).\n"),
                (["resources", "--kind", "vpn-gateway"], "No resources match --kind vpn-gateway (2 recorded).\n"),
            ]
            for (arguments, expected) in cases {
                let listed = try await CLI.run(arguments + ["--db", db])
                #expect(listed.status == 0, "\(arguments): \(listed.stderr)")
                #expect(listed.stdout == expected, "\(arguments)")
            }
            let one = try await CLI.run(["runs", "--db", db, "--project", "pb", "--limit", "1"])
            #expect(one.status == 0, "\(one.stderr)")
            #expect(one.stdout.split(separator: "\n").count == 2, "a heading and one run: \(one.stdout)")

            // An empty history still says so, filters or not.
            let empty = directory.appendingPathComponent("empty.sqlite").path
            _ = try HistoryDatabase.open(path: empty)
            let runs = try await CLI.run(["runs", "--db", empty, "--project", "nope"])
            #expect(runs.stdout == "No runs recorded yet.\n")
            let gateways = try await CLI.run(["gateways", "--db", empty, "--project", "nope"])
            #expect(gateways.stdout == "No gateways recorded yet; run `gateway-audit collect`.\n")
            let resources = try await CLI.run(["resources", "--db", empty, "--kind", "vpn-gateway"])
            #expect(resources.stdout == "No resources recorded yet; run `gateway-audit collect`.\n")
        }
    }

    @Test("runs --limit below 1 is a usage error: exit 2 and one line")
    func limitBelowOne() async throws {
        try await Self.inFolder { directory in
            let db = try await DigestCommandLineTests().estateHistory(directory)
            for arguments in [["--limit", "0"], ["--limit=-3"]] {
                let refused = try await CLI.run(["runs", "--db", db] + arguments)
                #expect(refused.status == 2, "\(arguments)")
                #expect(refused.stdout.isEmpty)
                #expect(refused.stderr == "gateway-audit: error: --limit must be at least 1 (see --help)\n")
            }
        }
    }
}
