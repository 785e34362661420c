import CSV
import Foundation
import GatewayAudit
import TestSupport
import Testing
import VPNSimulator

#if canImport(Glibc)
    import Glibc
#endif

@Suite("gateway-audit as a subprocess against the simulator", .serialized)
struct CommandLineTests {
    @Test("collect over several nights, then every view, when-changed, gateways and runs")
    func nightlyCycle() async throws {
        try await EndToEnd.with { e in
            let first = try await e.collect()
            #expect(first.status == 0, "\(first.stderr)")
            #expect(
                first.stdout.hasPrefix(
                    "run 1 complete: 23 observed, 0 unchanged, 0 changed, 23 new, 0 gone, 0 failed in "))
            let anchor = try #require(first.stdout.split(separator: " ").last).trimmingCharacters(
                in: .whitespacesAndNewlines)
            #expect(anchor.count == 64, "the summary line ends with the chain head")
            #expect(first.stderr.isEmpty, "quiet under cron: \(first.stderr)")
            for night in [3, 8, 12] {
                try await e.cloud.advance(to: night)
                let result = try await e.collect(["--quiet"])
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stdout.split(separator: "\n").count == 1)
            }
            let runs = try await e.cli(["runs", "--format", "csv"])
            #expect(runs.status == 0)
            #expect(runs.stdout.split(separator: "\r\n").count == 5)

            let gateways = try await e.cli(["gateways", "--format", "json"])
            let list = try gateways.stdout.split(separator: "\n").map { line in
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            }
            #expect(list.count == 16)
            #expect(list.filter { $0?["state"] == "gone" }.count == 2)
            #expect(
                gateways.stdout.hasPrefix(#"{"gateway_id":""#) && gateways.stdout.contains(#"","snapshots":""#),
                "one object per line, keys in the CSV header's order")

            let id = Scenario.standardGatewayID(2).rawValue
            let when = try await e.cli(["when-changed", id, "--field", "name", "--tz", "Europe/Berlin"])
            #expect(when.status == 0, "\(when.stderr)")
            #expect(when.stdout.hasPrefix("\(id) (branch-munich-2): 1 change(s) of name, times in Europe/Berlin\n"))
            #expect(when.stdout.contains("branch-munich  branch-munich-2"))
            // An id pasted with spaces around it (a console, a mail) is the same id.
            let padded = try await e.cli(["when-changed", " \(id)\n", "--field", "name", "--tz", "Europe/Berlin"])
            #expect(padded.status == 0 && padded.stdout == when.stdout, "\(padded.stderr)")
            let capitals = try await e.cli([
                "when-changed", id.uppercased(), "--field", "name", "--tz", "Europe/Berlin",
            ])
            #expect(capitals.status == 0 && capitals.stdout == when.stdout, "\(capitals.stderr)")
            // A person asks by the name they know; a truncated paste is answered with the ids it begins.
            let named = try await e.cli(["when-changed", "branch-munich-2", "--field", "name", "--tz", "Europe/Berlin"])
            #expect(named.status == 0 && named.stdout == when.stdout, "\(named.stderr)")
            let truncated = try await e.cli(["when-changed", "5F0C1A8E-3B2D-4C71-9E0A-0000000000"])
            #expect(truncated.status == 2 && truncated.stdout.isEmpty)
            #expect(
                truncated.stderr.hasPrefix(
                    "gateway-audit: error: no gateway \"5F0C1A8E-3B2D-4C71-9E0A-0000000000\" in this database; "
                        + "did you mean \"\(Scenario.standardGatewayID(1))\" ("),
                "\(truncated.stderr)")
            #expect(truncated.stderr.hasSuffix(" more? `gateway-audit gateways` lists the known ids\n"))
            #expect(truncated.stderr.split(separator: "\n").count == 1)
            // A typo in a pasted id is answered with the ids a few edits away, the closest first.
            let typo = "x" + id.dropFirst()
            let mistyped = try await e.cli(["when-changed", typo])
            #expect(mistyped.status == 2 && mistyped.stdout.isEmpty)
            #expect(
                mistyped.stderr.hasPrefix(
                    "gateway-audit: error: no gateway \"\(typo)\" in this database; did you mean \"\(id)\" (branch-munich-2), "
                ),
                "\(mistyped.stderr)")

            for view in ["history", "changes", "timestamps"] {
                for format in ["csv", "html"] {
                    let result = try await e.cli(["report", view, "--format", format, "--tz", "Asia/Kolkata"])
                    #expect(result.status == 0, "\(result.stderr)")
                    let file = e.directory.appendingPathComponent("\(view).Asia-Kolkata.\(format)")
                    #expect(FileManager.default.fileExists(atPath: file.path))
                    #expect(result.stderr.hasPrefix("wrote \(view).Asia-Kolkata.\(format) ("))
                }
            }
            let verified = try await e.cli(["verify"])
            #expect(verified.status == 0, "\(verified.stderr)")
            #expect(verified.stdout.hasPrefix("ok: "))
            let exported = try await e.cli([
                "verify", e.directory.appendingPathComponent("changes.Asia-Kolkata.csv").path,
            ])
            #expect(exported.status == 0, "\(exported.stderr)")
            #expect(exported.stdout.hasSuffix("ok\n"))
            let changes = try await e.cli(["report", "changes", "--output", "-", "--id", id])
            let reader = try CSVReader(string: changes.stdout)
            var rows: [[String]] = []
            while let row = reader.next() { rows.append(row) }
            #expect(rows.map { $0[1] } == ["change", "first-seen", "modified"])
        }
    }

    @Test("exit codes and one-line errors for every failure users meet")
    func errors() async throws {
        try await EndToEnd.with { e in
            _ = try await e.collect()
            var env = e.akskEnvironment
            env["HW_SECRET_KEY"] = "not-the-secret"
            let auth = try await e.collect(environment: env)
            #expect(auth.status == 3)
            #expect(
                auth.stderr.hasSuffix(
                    "check HW_ACCESS_KEY and HW_SECRET_KEY. The run stopped without retrying, to avoid locking the key\n"
                ))
            #expect(!auth.stderr.contains("not-the-secret") && !auth.stdout.contains("not-the-secret"))

            env = e.akskEnvironment
            env["HW_ACCESS_KEY"] = nil
            let half = try await e.collect(environment: env)
            #expect(half.status == 2)
            #expect(
                half.stderr
                    == "gateway-audit: error: HW_SECRET_KEY is set but HW_ACCESS_KEY is not; set both, or neither\n")

            let zone = try await e.cli(["report", "changes", "--tz", "Europe/Berlln"])
            #expect(zone.status == 2)
            #expect(
                zone.stderr
                    == "gateway-audit: error: unknown time zone \"Europe/Berlln\" (did you mean Europe/Berlin?)\n")

            let unknown = try await e.cli(["when-changed", "no-such-id"])
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("`gateway-audit gateways` lists the known ids"))

            // Times no Duration can hold were a trap with a stack trace; now they are usage errors.
            for (option, value, message) in [
                ("--timeout", "inf", "--timeout must be greater than 0 and at most 3600 seconds"),
                // A negative value was "Missing value for '--timeout <seconds>'" (it looked like an option).
                ("--timeout", "-5", "--timeout must be greater than 0 and at most 3600 seconds"),
                ("--concurrency", "-1", "--concurrency must be between 1 and 64"),
                ("--deadline", "1e30", "--deadline must be greater than 0 and at most 604800 seconds (7 days)"),
                ("--lock-wait", "inf", "--lock-wait must be between 0 and 86400 seconds"),
                ("--rate", "1e-300", "--rate must be between 0.001 and 100000 requests per second"),
                ("--notify-timeout", "1e17", "--notify-timeout must be greater than 0 and at most 3600 seconds"),
            ] {
                let bad = try await e.collect([option, value])
                #expect(bad.status == 2, "\(option) \(value): \(bad.stderr)")
                #expect(bad.stderr == "gateway-audit: error: \(message) (see --help)\n", "\(option)")
            }

            let usage = try await e.cli(["report", "everything"])
            #expect(usage.status == 2)
            #expect(usage.stderr.split(separator: "\n").count == 1)

            let notDB = e.directory.appendingPathComponent("notes.txt")
            try Data("hello".utf8).write(to: notDB)
            let database = try await CLI.run(["gateways", "--db", notDB.path])
            #expect(database.status == 4)
            #expect(
                database.stderr
                    == "gateway-audit: error: \(notDB.path) is not an SQLite database; point --db at a gateway-audit database or a new file name\n"
            )

            // Contents are stored compressed; the edit is made on the JSON text the store also reads.
            try HistoryDatabase.expandContents(path: e.db)
            let named = try sqlite3(e.db, "SELECT COUNT(*) FROM snapshot WHERE content LIKE '%hq-frankfurt%'")
            try sqlite3(e.db, "UPDATE snapshot SET content = replace(content, 'hq-frankfurt', 'hq-frankfurX')")
            // The gateway and the two connections named after it.
            #expect(named == "3")
            #expect(try sqlite3(e.db, "SELECT COUNT(*) FROM snapshot WHERE content LIKE '%hq-frankfurX%'") == named)
            let verify = try await e.cli(["verify"])
            #expect(verify.status == 5)
            #expect(
                verify.stderr.hasPrefix(
                    "gateway-audit: error: \(e.db): gateway 5f0c1a8e-3b2d-4c71-9e0a-000000000001 snapshot 1: content does not match"
                ))

            let insecure = try await CLI.run(
                ["collect", "--endpoint", "http://vpn.example.com", "--db", e.db], environment: e.akskEnvironment)
            #expect(insecure.status == 2)
        }
    }

    @Test("a failed gateway makes the run partial (exit 1) and keeps the others")
    func partial() async throws {
        try await EndToEnd.with { e in
            let broken = Scenario.standardGatewayID(3)
            _ = await e.cloud.addFault(
                FaultRule(.serverError(status: 500, code: "VPN.0002"), routes: [.getGateway], gateways: [broken]))
            let ids = (1...5).map { Scenario.standardGatewayID($0).rawValue }
            let result = try await e.collect(ids.flatMap { ["--id", $0] } + ["--quiet"])
            #expect(result.status == 1)
            #expect(
                result.stdout.hasPrefix("run 1 partial: 5 observed, 0 unchanged, 0 changed, 4 new, 0 gone, 1 failed"))
            #expect(
                result.stderr.hasPrefix(
                    "gateway-audit: error: 1 resource(s) could not be fetched and were recorded as failed "
                        + "observations; the others are stored; the first, \(broken): HTTP 500 VPN.0002"))
        }
    }

    @Test("a second collect of the same project waits for the lock, then exits 75; another project does not wait")
    func locked() async throws {
        try await EndToEnd.with { e in
            _ = try await e.collect()
            let writer = HistoryWriter(try HistoryDatabase.open(path: e.db))
            let other = try await writer.beginRun(RunInfo(endpoint: "test", projectID: "p", scope: .ids))
            let unblocked = try await e.collect(["--lock-wait", "0"])
            #expect(unblocked.status == 0, "\(unblocked.stderr)")
            try await writer.finishRun(other, status: .complete)
            let holder = try await writer.beginRun(
                RunInfo(endpoint: e.running.baseURLString, projectID: e.cloud.projectID, scope: .ids))
            let result = try await e.collect(["--lock-wait", "1"])
            #expect(result.status == 75)
            #expect(
                result.stderr
                    == "gateway-audit: error: another gateway-audit run holds \(e.db) (waited 1 s); try again later or raise --lock-wait\n"
            )
            try await writer.finishRun(holder, status: .complete)
        }
    }

    @Test(
        "a history of the release before v7-compact: collect waits for that release's run, exits 75 leaving the file as it was, then upgrades it"
    )
    func upgradeWaitsForEarlierRelease() async throws {
        try await EndToEnd.with { e in
            _ = try await e.collect()
            try SQLiteShell.run(e.db, "PRAGMA wal_checkpoint(TRUNCATE)")
            try HistoryDatabase.undoDeflate(path: e.db)
            try SQLiteShell.run(e.db, HistoryDatabase.beforeCompactSQL)
            let lock = e.db + ".0123456789abcdef.lock"
            let fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
            let waiting = try await e.collect()
            #expect(waiting.status == 75)
            #expect(
                waiting.stderr
                    == "gateway-audit: error: a run of an earlier gateway-audit is still writing \(e.db) (it holds \(lock)); "
                    + "this release converts the file on its first write: stop the earlier release's collectors, then try again\n"
            )
            #expect(try SQLiteShell.run(e.db, "SELECT DISTINCT typeof(chain_sha256) FROM snapshot") == "text\n")
            #expect(try SQLiteShell.run(e.db, "SELECT DISTINCT typeof(content) FROM snapshot") == "text\n")
            flock(fd, LOCK_UN)
            close(fd)
            let upgraded = try await e.collect()
            #expect(upgraded.status == 0, "\(upgraded.stderr)")
            #expect(try SQLiteShell.run(e.db, "SELECT DISTINCT typeof(chain_sha256) FROM snapshot") == "blob\n")
            #expect(try SQLiteShell.run(e.db, "SELECT DISTINCT typeof(content) FROM snapshot") == "blob\n")
            let verified = try await CLI.run(["verify", "--db", e.db])
            #expect(verified.status == 0 && verified.stdout.hasPrefix("ok: "), "\(verified.stdout)")
        }
    }

    @Test("--help of every command has an example")
    func help() async throws {
        for command in ["demo", "collect", "report", "when-changed", "gateways"] {
            let result = try await CLI.run([command, "--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("Example"), "\(command)")
        }
        let root = try await CLI.run(["--help"])
        let flat = root.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(
            flat.contains(
                "3 authentication rejected; 4 database error; 5 verification failed (history or export altered, or an export's manifest missing); 74 a file could not be read to the end (nothing was verified), or a report could not be written (no space, file too large; the previous one is kept); 75 another run holds the database"
            ))
    }
}
