import CSV
import Foundation
import GatewayAudit
import Testing
import TestSupport
import VPNSimulator

/// Two accounts (AK/SK on Huawei Cloud, password on OTC), three regions, five projects, three nights
/// through the real binary and the simulator over HTTP; the Huawei key is rejected on night 2.
@Suite("A whole estate in one nightly run", .serialized)
struct EstateTests {
    static let layout: [(region: String, projects: Int)] = [("eu-west-101", 2), ("ap-southeast-1", 1), ("eu-de", 2)]

    struct Fixture {
        let directory: URL
        let estate: SimulatedEstate
        var db: String { directory.appendingPathComponent("history.sqlite").path }
        var config: String { directory.appendingPathComponent("estate.toml").path }

        func projects(_ region: String) -> [String] { (estate.projects[region] ?? []).map(\.projectID) }

        /// The five scopes as `account/region/project`, in the order collect prints them.
        var scopes: [String] {
            projects("eu-west-101").map { "prod-huawei/eu-west-101/\($0)" }
                + projects("ap-southeast-1").map { "prod-huawei/ap-southeast-1/\($0)" }
                + projects("eu-de").map { "otc/eu-de/\($0)" }
        }

        var file: String {
            let url = { (region: String) in estate.regions[region]?.baseURLString ?? "" }
            let quoted = { (region: String) in projects(region).map { "\"\($0)\"" }.joined(separator: ", ") }
            return """
                database = "\(db)"

                [[account]]
                name = "prod-huawei"
                cloud = "huawei"
                auth = "aksk"
                access_key_env = "PROD_AK"
                secret_key_env = "PROD_SK"
                regions = ["eu-west-101", "ap-southeast-1"]
                projects = { "eu-west-101" = [\(quoted("eu-west-101"))], "ap-southeast-1" = [\(quoted("ap-southeast-1"))] }
                endpoints = { "eu-west-101" = "\(url("eu-west-101"))", "ap-southeast-1" = "\(url("ap-southeast-1"))" }

                \(otcAccount)
                """
        }

        /// The OTC account (a password, every project of eu-de).
        var otcAccount: String {
            let url = estate.regions["eu-de"]?.baseURLString ?? ""
            return """
                [[account]]
                name = "otc"
                cloud = "otc"
                auth = "password"
                user_env = "OTC_USER"
                password_env = "OTC_PASSWORD"
                domain_env = "OTC_DOMAIN"
                regions = ["eu-de"]
                projects = "all"
                endpoints = { "eu-de" = "\(url)" }
                iam_endpoints = { "eu-de" = "\(url)/v3" }

                """
        }

        var environment: [String: String] {
            let pair = SimulatorCredentials.standard.keyPairs[0]
            let user = SimulatorCredentials.standard.users[0]
            return [
                "PROD_AK": pair.accessKey, "PROD_SK": pair.secretKey, "OTC_USER": user.name,
                "OTC_PASSWORD": user.password, "OTC_DOMAIN": user.domain,
            ]
        }

        func collect(_ extra: [String] = [], environment: [String: String]? = nil) async throws -> ProcessResult {
            try await CLI.run(["collect", "--config", config] + extra, environment: environment ?? self.environment)
        }

        func cli(_ arguments: [String]) async throws -> ProcessResult {
            try await CLI.run(arguments + ["--db", db], directory: directory)
        }
    }

    static func with(_ body: (Fixture) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-estate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var credentials = SimulatorCredentials.standard
        credentials.sdkDateClock = .wall
        let estate = try await SimulatedEstate.start(layout, credentials: credentials)
        let fixture = Fixture(directory: directory, estate: estate)
        try fixture.file.write(toFile: fixture.config, atomically: true, encoding: .utf8)
        do {
            try await body(fixture)
        } catch {
            await estate.stop()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await estate.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    static func csv(_ text: String) throws -> [[String]] {
        let reader = try CSVReader(string: text)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    @Test("a hung IAM project list ends with --deadline (it waited out --timeout and its retries before)")
    func hungProjectList() async throws {
        try await Self.with { f in
            try await f.estate.advance(to: 1)
            let silent = try await SilentReceiver.start()
            let iam = "iam_endpoints = { \"eu-de\" = \"\(f.estate.regions["eu-de"]?.baseURLString ?? "")/v3\" }"
            let hung = f.file.replacingOccurrences(
                of: iam, with: "iam_endpoints = { \"eu-de\" = \"http://127.0.0.1:\(silent.port)/v3\" }")
            #expect(hung != f.file)
            try hung.write(toFile: f.config, atomically: true, encoding: .utf8)
            let started = ContinuousClock.now
            let result = try await f.collect(["--deadline", "3"])
            let took = started.duration(to: .now)
            await silent.stop()
            // Before, the list waited out the request timeout (30 s, not even --timeout) and its retries.
            #expect(took < .seconds(15), "took \(took)")
            #expect(result.status == 1)
            let deadline = "the run's deadline passed before every gateway was fetched; raise --deadline"
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.first == "gateway-audit: otc/eu-de/all: \(deadline)", "\(result.stderr)")
            #expect(lines.count == 5)
            #expect(
                lines.last
                    == "gateway-audit: error: 4 of 4 scope(s) not complete (see the lines above); nothing was stored")
            let runs = try await f.cli(["runs", "--format", "csv"])
            #expect(runs.stdout.split(separator: "\r\n").count <= 1, "\(runs.stdout)")
        }
    }

    @Test("under the systemd journal each failed scope's line and the last line carry <3>, so -p err shows them")
    func journalPriorities() async throws {
        try await Self.with { f in
            try await f.estate.advance(to: 1)
            var rejected = f.environment
            rejected["PROD_SK"] = "not-the-secret"
            rejected["JOURNAL_STREAM"] = Spawn.journalStream
            let night = try await f.collect(environment: rejected)
            #expect(night.status == 1, "\(night.stderr)")
            let errors = night.stderr.split(separator: "\n").map(String.init)
            #expect(errors.count == 4, "\(night.stderr)")
            for (line, scope) in zip(errors, f.scopes.prefix(3)) {
                #expect(line.hasPrefix("<3>gateway-audit: \(scope): authentication rejected (HTTP 401"), "\(line)")
            }
            #expect(
                errors.last
                    == "<3>gateway-audit: error: 3 of 5 scope(s) not complete (see the lines above); the others are stored"
            )
        }
    }

    @Test("copy of an estate history prints the head verify prints, not the last scope's own")
    func copyHeadOfEstate() async throws {
        try await Self.with { f in
            try await f.estate.advance(to: 1)
            #expect(try await f.collect().status == 0)
            let copied = f.db + ".copy.sqlite"
            let copy = try await CLI.run(["copy", "--from", f.db, "--to", copied])
            #expect(copy.status == 0, "\(copy.stderr)")
            let verify = try await CLI.run(["verify", "--db", copied])
            #expect(verify.status == 0, "\(verify.stderr)")
            let head = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("chain head ") })
            #expect(copy.stdout.hasSuffix("; \(head)\n"), "\(copy.stdout) vs \(verify.stdout)")
            let original = try await CLI.run(["verify", "--db", f.db])
            #expect(original.stdout.contains(String(head)))
            // PostgreSQL computes the same head over every scope.
            guard PostgresTestServer.isAvailable else { return }
            let pg = try await PostgresTestServer.freshDatabase()
            let toPostgres = try await CLI.run(["copy", "--from", f.db, "--to", pg])
            #expect(toPostgres.status == 0, "\(toPostgres.stderr)")
            #expect(toPostgres.stdout.hasSuffix("; \(head)\n"), "\(toPostgres.stdout)")
        }
    }

    @Test("three nights, a rejected key on night 2: exit 1, the other scopes stored, every scope in every report")
    func threeNights() async throws {
        try await Self.with { f in
            let scopes = f.scopes
            #expect(scopes.count == 5)
            let check = try await CLI.run(
                ["config", "check", "--config", f.config, "--resolve"], environment: f.environment)
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.hasPrefix("\(f.config): ok, 2 account(s), 5 scope(s), database \(f.db)\n"))
            for scope in scopes {
                let parts = scope.split(separator: "/")
                #expect(check.stdout.contains(parts[2]), "\(check.stdout)")
            }

            // Night 1: every scope complete.
            try await f.estate.advance(to: 1)
            let first = try await f.collect()
            #expect(first.status == 0, "\(first.stderr)")
            var lines = first.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 6, "\(first.stdout)")
            for (line, scope) in zip(lines, scopes) {
                #expect(line.hasPrefix("\(scope): run "), "\(line)")
                #expect(line.contains(" complete: 23 observed, 0 unchanged, 0 changed, 23 new, 0 gone, 0 failed in "))
            }
            #expect(
                lines.last?.hasPrefix(
                    "total: 5 scope(s), 5 complete, 0 partial, 0 failed (0 rejected); 115 observed, 0 unchanged, "
                        + "0 changed, 115 new, 0 gone, 0 failed in ") == true, "\(first.stdout)")

            // Night 2: the Huawei key is rejected; the OTC scopes are stored.
            try await f.estate.advance(to: 2)
            var rejected = f.environment
            rejected["PROD_SK"] = "not-the-secret"
            let second = try await f.collect(environment: rejected)
            #expect(second.status == 1, "\(second.stderr)")
            lines = second.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 6, "\(second.stdout)")
            for (line, scope) in zip(lines, scopes) {
                if scope.hasPrefix("otc/") {
                    #expect(line.contains(" complete: 24 observed, 23 unchanged, 0 changed, 1 new, 0 gone, 0 failed"))
                } else {
                    #expect(line.hasPrefix("\(scope): run "), "\(line)")
                    #expect(line.contains(" failed: 0 observed, "), "\(line)")
                }
            }
            #expect(lines.last?.hasPrefix("total: 5 scope(s), 2 complete, 0 partial, 3 failed (3 rejected); ") == true)
            let errors = second.stderr.split(separator: "\n").map(String.init)
            #expect(errors.count == 4, "\(second.stderr)")
            for (line, scope) in zip(errors, scopes.prefix(3)) {
                #expect(line.hasPrefix("gateway-audit: \(scope): authentication rejected (HTTP 401 APIGW.0301)"))
                #expect(
                    line.hasSuffix(
                        "; check PROD_AK and PROD_SK (account prod-huawei of the estate file). "
                            + "The run stopped without retrying, to avoid locking the key"))
            }
            #expect(
                errors.last
                    == "gateway-audit: error: 3 of 5 scope(s) not complete (see the lines above); the others are stored"
            )
            #expect(!second.stdout.contains("not-the-secret") && !second.stderr.contains("not-the-secret"))

            // The rejected scopes' runs say why.
            let runs = try await f.cli(["runs", "--account", "prod-huawei", "--format", "json"])
            let runList = try #require(
                try runs.stdout.split(separator: "\n").map {
                    try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] ?? [:]
                } as [[String: String]]?)
            #expect(runList.count == 6)
            let failedRuns = runList.filter { $0["status"] == "failed" }
            #expect(failedRuns.count == 3)
            #expect(failedRuns.allSatisfy { $0["message"]?.hasPrefix("authentication rejected (HTTP 401") == true })
            #expect(Set(runList.map { $0["account"] ?? "" }) == ["prod-huawei"])

            // Night 3: everything again.
            try await f.estate.advance(to: 3)
            let third = try await f.collect()
            #expect(third.status == 0, "\(third.stderr)")

            // Every report holds every scope's rows, with the three scope columns last.
            let expectedScopes = Set(scopes.map { $0.replacingOccurrences(of: "/", with: "|") })
            for view in ["history", "changes", "timestamps"] {
                let report = try await f.cli(["report", view, "--output", "-"])
                #expect(report.status == 0, "\(report.stderr)")
                let rows = try Self.csv(report.stdout)
                #expect(Array(rows[0].suffix(3)) == ["account", "region", "project_id"])
                let seen = Set(rows.dropFirst().map { $0.suffix(3).joined(separator: "|") })
                #expect(seen == expectedScopes, "\(view)")
            }
            let otcOnly = try await f.cli([
                "report", "changes", "--output", "-", "--account", "otc", "--region", "eu-de",
            ])
            let otcRows = try Self.csv(otcOnly.stdout).dropFirst()
            #expect(!otcRows.isEmpty && otcRows.allSatisfy { $0.suffix(3).first == "otc" })
            let html = try await f.cli(["report", "changes", "--format", "html", "--output", "-"])
            #expect(html.stdout.contains("<section id=\"scopes\">"))
            #expect(html.stdout.components(separatedBy: "<tr><td><a href=\"#scope-").count == 6)

            let gateways = try await f.cli(["gateways", "--project", f.projects("eu-de")[1], "--format", "json"])
            let gatewayList = try #require(
                try gateways.stdout.split(separator: "\n").map {
                    try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] ?? [:]
                } as [[String: String]]?)
            #expect(gatewayList.count == 14)
            #expect(gatewayList.allSatisfy { $0["region"] == "eu-de" && $0["account"] == "otc" })

            let verified = try await f.cli(["verify"])
            #expect(verified.status == 0, "\(verified.stderr)")
        }
    }

    @Test(
        "an estate night writes every scope's series to one metrics file and notifies each scope; a failed scope keeps its last success, a narrowed run the others' series"
    )
    func metricsAndNotifications() async throws {
        try await Self.with { f in
            let receiver = try await WebhookReceiver.start()
            // Refuses its first notification (404 is final), then accepts.
            let refusing = try await WebhookReceiver.start(script: [404])
            // Never answers.
            let silent = try await SilentReceiver.start()
            defer {
                Task {
                    await receiver.stop()
                    await refusing.stop()
                    await silent.stop()
                }
            }
            let prom = f.directory.appendingPathComponent("gateway-audit.prom").path
            let hooks = ["--metrics-file", prom, "--notify", receiver.baseURL + "/hook"]
            // Each scope as (account, region, project), in the order collect prints them.
            let scopes = f.scopes.map { $0.split(separator: "/").map(String.init) }
            func metrics() throws -> MetricsText { try MetricsText(try String(contentsOfFile: prom, encoding: .utf8)) }
            func value(_ metrics: MetricsText, _ name: String, _ scope: [String], _ extra: String? = nil) -> Double? {
                metrics.value(name, account: scope[0], region: scope[1], project: scope[2], extra: extra)
            }
            func documents(from other: WebhookReceiver? = nil) async throws -> [[String: Any]] {
                try await (other ?? receiver).requests().map {
                    try #require(try JSONSerialization.jsonObject(with: $0.body) as? [String: Any])
                }
            }

            let both = hooks + ["--notify", refusing.baseURL + "/refusing"]
            try await f.estate.advance(to: 1)
            // The silent webhook holds the first scope's notification for its timeout, and is not tried for the
            // four others (they would hold the night 4 × 2 s more); the refusing one gets all five.
            let clock = ContinuousClock.now
            let first = try await f.collect(
                both + ["--notify", "http://127.0.0.1:\(silent.port)/silent", "--notify-timeout", "2"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(clock.duration(to: .now) < .seconds(6))
            #expect(await refusing.requests().count == 5)
            let night1 = try metrics()
            let text = try String(contentsOfFile: prom, encoding: .utf8)
            #expect(text.components(separatedBy: "# HELP gateway_audit_run_status ").count == 2, "\(text)")
            var successes: [Double] = []
            for scope in scopes {
                #expect(value(night1, "gateway_audit_run_status", scope, "status=\"complete\"") == 1, "\(scope)")
                #expect(value(night1, "gateway_audit_resources", scope, "state=\"present\"") == 23, "\(scope)")
                #expect(value(night1, "gateway_audit_observations_total", scope, "outcome=\"new\"") == 23)
                successes.append(try #require(value(night1, "gateway_audit_last_success_timestamp_seconds", scope)))
            }
            #expect(night1.samples.keys.filter { $0.hasPrefix("gateway_audit_chain_head_info{") }.count == 5)
            // Night 1 is news everywhere: one notification per scope, each with its own account, region and project.
            var heard = try await documents()
            #expect(heard.count == 5)
            let heardScopes = heard.compactMap { document -> [String]? in
                guard let scope = document["scope"] as? [String: Any] else { return nil }
                return [scope["account"], scope["region"], scope["project_id"]].compactMap { $0 as? String }
            }
            #expect(Set(heardScopes) == Set(scopes), "\(heardScopes)")
            #expect(heard.allSatisfy { ($0["counts"] as? [String: Any])?["new"] as? Int == 23 })

            // Night 2: the Huawei key is rejected; its three scopes fail and keep their last success.
            try await f.estate.advance(to: 2)
            var wrong = f.environment
            wrong["PROD_SK"] = "wrong"
            let second = try await f.collect(both, environment: wrong)
            #expect(second.status == 1, "\(second.stderr)")
            // It accepts now: the scope it refused gets its digest from the night it missed.
            let caughtUp = try await documents(from: refusing).dropFirst(5)
            let firstRuns = Dictionary(
                uniqueKeysWithValues: heard.compactMap { document -> (String, Int)? in
                    guard let scope = document["scope"] as? [String: Any], let project = scope["project_id"] as? String,
                        let run = document["run_id"] as? Int
                    else { return nil }
                    return (project, run)
                })
            let refusedFirst = try await documents(from: refusing).first
            let refusedProject = try #require((refusedFirst?["scope"] as? [String: Any])?["project_id"] as? String)
            let document = try #require(
                caughtUp.first { ($0["scope"] as? [String: Any])?["project_id"] as? String == refusedProject })
            let missed = try #require(firstRuns[refusedProject])
            #expect(document["digest_first_run"] as? Int == missed, "\(document)")
            #expect(try #require(document["run_id"] as? Int) > missed)
            let night2 = try metrics()
            for (scope, success) in zip(scopes, successes) {
                let rejected = scope[0] == "prod-huawei"
                #expect(
                    value(night2, "gateway_audit_run_status", scope, "status=\"\(rejected ? "failed" : "complete")\"")
                        == 1, "\(scope)")
                let kept = try #require(value(night2, "gateway_audit_last_success_timestamp_seconds", scope))
                #expect(rejected ? kept == success : kept > success, "\(scope)")
                #expect(
                    try #require(value(night2, "gateway_audit_last_run_timestamp_seconds", scope))
                        > value(night1, "gateway_audit_last_run_timestamp_seconds", scope) ?? .infinity)
            }
            heard = try await documents()
            let failedNotes = heard.dropFirst(5).filter { $0["status"] as? String == "failed" }
            #expect(failedNotes.count == 3, "\(heard.dropFirst(5))")
            #expect(failedNotes.allSatisfy { ($0["message"] as? String)?.contains("authentication rejected") == true })

            // A run narrowed to the OTC account leaves the Huawei series as night 2 left them.
            let narrowed = try await f.collect(hooks + ["--account", "otc"])
            #expect(narrowed.status == 0, "\(narrowed.stderr)")
            let night3 = try metrics()
            for scope in scopes where scope[0] == "prod-huawei" {
                #expect(
                    value(night3, "gateway_audit_last_run_timestamp_seconds", scope)
                        == value(night2, "gateway_audit_last_run_timestamp_seconds", scope))
                #expect(value(night3, "gateway_audit_run_status", scope, "status=\"failed\"") == 1)
            }

            // A mistyped --account collects nothing and leaves the file as it was (no series that would fail
            // forever), and so does the first night of a file no run has written.
            let unchanged = try String(contentsOfFile: prom, encoding: .utf8)
            let typo = try await f.collect(hooks + ["--account", "prdo"])
            #expect(typo.status == 2, "\(typo.stderr)")
            #expect(try String(contentsOfFile: prom, encoding: .utf8) == unchanged)
            let fresh = f.directory.appendingPathComponent("fresh.prom").path
            var unsetFirst = f.environment
            unsetFirst["OTC_PASSWORD"] = nil
            let firstBroken = try await f.collect(["--metrics-file", fresh], environment: unsetFirst)
            #expect(firstBroken.status == 2, "\(firstBroken.stderr)")
            #expect(!(try String(contentsOfFile: fresh, encoding: .utf8)).contains("gateway_audit_run_status"))

            // An estate that cannot start (a variable unset) fails every series the file has, their last
            // successes kept, and sends one notification.
            var unset = f.environment
            unset["OTC_PASSWORD"] = nil
            let before = await receiver.requests().count
            let broken = try await f.collect(hooks, environment: unset)
            #expect(broken.status == 2, "\(broken.stderr)")
            let night4 = try metrics()
            for scope in scopes {
                #expect(value(night4, "gateway_audit_run_status", scope, "status=\"failed\"") == 1, "\(scope)")
                #expect(
                    value(night4, "gateway_audit_last_success_timestamp_seconds", scope)
                        == value(night3, "gateway_audit_last_success_timestamp_seconds", scope))
            }
            heard = try await documents()
            #expect(heard.count == before + 1)
            #expect((heard.last?["message"] as? String)?.contains("OTC_PASSWORD") == true, "\(heard.last ?? [:])")
        }
    }

    @Test(
        "a project or region the estate no longer collects leaves the metrics file; a region IAM could not list, a narrowed night and a project's own series keep theirs"
    )
    func retiredSeries() async throws {
        try await Self.with { f in
            let prom = f.directory.appendingPathComponent("gateway-audit.prom").path
            // The scopes the file has series for, as account/region/project.
            func series() throws -> Set<String> {
                let name = "gateway_audit_last_run_timestamp_seconds{"
                let keys = try MetricsText(try String(contentsOfFile: prom, encoding: .utf8)).samples.keys
                return Set(
                    keys.filter { $0.hasPrefix(name) }.map { key in
                        key.dropFirst(name.count).dropLast().split(separator: ",").prefix(3).map {
                            String($0.split(separator: "=", maxSplits: 1)[1].dropFirst().dropLast())
                        }.joined(separator: "/")
                    })
            }
            try await f.estate.advance(to: 1)
            let first = try await f.collect(["--metrics-file", prom])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try series() == Set(f.scopes))
            // One OTC project collected on its own into the same file: no account, no region (a simulated endpoint).
            let own = try #require(f.projects("eu-de").first)
            let pair = SimulatorCredentials.standard.keyPairs[0]
            let single = try await CLI.run(
                [
                    "collect", "--endpoint", f.estate.regions["eu-de"]?.baseURLString ?? "", "--project-id", own,
                    "--db", f.db, "--metrics-file", prom,
                ], environment: ["HW_ACCESS_KEY": pair.accessKey, "HW_SECRET_KEY": pair.secretKey])
            #expect(single.status == 0, "\(single.stderr)")
            #expect(try series() == Set(f.scopes + ["//\(own)"]))

            // The second eu-west-101 project is taken out of the file.
            let (kept, dropped) = (f.projects("eu-west-101")[0], f.projects("eu-west-101")[1])
            let listed = "\"eu-west-101\" = [\"\(kept)\", \"\(dropped)\"]"
            #expect(f.file.contains(listed))
            try f.file.replacingOccurrences(of: listed, with: "\"eu-west-101\" = [\"\(kept)\"]")
                .write(toFile: f.config, atomically: true, encoding: .utf8)
            // A night narrowed to one project knows no other: nothing is retired.
            let narrowed = try await f.collect(["--metrics-file", prom, "--project", kept])
            #expect(narrowed.status == 0, "\(narrowed.stderr)")
            #expect(try series() == Set(f.scopes + ["//\(own)"]))
            // The next whole night retires the dropped project's series. eu-de's projects cannot be listed (the OTC
            // password is rejected): its series stay, failed; the project's own series stays.
            var rejected = f.environment
            rejected["OTC_PASSWORD"] = "wrong"
            let whole = try await f.collect(["--metrics-file", prom], environment: rejected)
            #expect(whole.status == 1, "\(whole.stderr)")
            let gone = "prod-huawei/eu-west-101/\(dropped)"
            #expect(
                whole.stderr.contains(
                    "retired the series of \(gone), which this estate no longer collects (its history stays)"),
                "\(whole.stderr)")
            #expect(try series() == Set(f.scopes + ["//\(own)"]).subtracting([gone]))
            let metrics = try MetricsText(try String(contentsOfFile: prom, encoding: .utf8))
            for project in f.projects("eu-de") {
                #expect(
                    metrics.value(
                        "gateway_audit_run_status", account: "otc", region: "eu-de", project: project,
                        extra: "status=\"failed\"") == 1)
            }
            #expect(!metrics.samples.keys.contains { $0.contains(dropped) })
            // Its history stays: only the series went.
            let rows = try sqlite3(f.db, "SELECT COUNT(*) FROM gateway WHERE project_id = '\(dropped)'")
            #expect(rows == "23", "\(rows)")

            // ap-southeast-1 taken out of the Huawei account: a night narrowed to the account says nothing of the
            // regions it left out; the next whole night retires the region's series.
            let asia = try #require(f.projects("ap-southeast-1").first)
            let asiaURL = f.estate.regions["ap-southeast-1"]?.baseURLString ?? ""
            var file = try String(contentsOfFile: f.config, encoding: .utf8)
            for (old, new) in [
                ("regions = [\"eu-west-101\", \"ap-southeast-1\"]", "regions = [\"eu-west-101\"]"),
                (", \"ap-southeast-1\" = [\"\(asia)\"]", ""), (", \"ap-southeast-1\" = \"\(asiaURL)\"", ""),
            ] {
                #expect(file.contains(old), "\(old)")
                file = file.replacingOccurrences(of: old, with: new)
            }
            try file.write(toFile: f.config, atomically: true, encoding: .utf8)
            let huawei = try await f.collect(["--metrics-file", prom, "--account", "prod-huawei"])
            #expect(huawei.status == 0, "\(huawei.stderr)")
            #expect(try series() == Set(f.scopes + ["//\(own)"]).subtracting([gone]))
            let fewer = try await f.collect(["--metrics-file", prom], environment: rejected)
            #expect(fewer.status == 1, "\(fewer.stderr)")
            #expect(
                try series() == Set(f.scopes + ["//\(own)"]).subtracting([gone, "prod-huawei/ap-southeast-1/\(asia)"]))
        }
    }

    @Test("exit 3 only when every scope was rejected; narrowing collects only the scopes asked for")
    func allRejectedAndNarrowing() async throws {
        try await Self.with { f in
            var wrong = f.environment
            wrong["PROD_SK"] = "wrong"
            wrong["OTC_PASSWORD"] = "wrong"
            let rejected = try await f.collect(["--scope-concurrency", "1"], environment: wrong)
            #expect(rejected.status == 3, "\(rejected.stderr)")
            // The Huawei key is sent once: its rejection in the first scope stops the account's other two.
            let first = "prod-huawei/eu-west-101/\(f.projects("eu-west-101")[0])"
            let rejectedLines = rejected.stdout.split(separator: "\n").map(String.init)
            let notTried = [
                "prod-huawei/eu-west-101/\(f.projects("eu-west-101")[1])",
                "prod-huawei/ap-southeast-1/\(f.projects("ap-southeast-1")[0])",
            ].map { scope in
                rejectedLines.filter {
                    $0.hasPrefix("\(scope): not collected: authentication rejected (HTTP ")
                        && $0.contains(
                            ": not tried, the account's credentials were rejected in \(first); check PROD_AK")
                }.count
            }
            #expect(notTried == [1, 1], "\(rejected.stdout)")
            #expect(
                rejectedLines.contains { $0.hasPrefix("\(first): run ") && $0.contains(" failed") },
                "\(rejected.stdout)")
            #expect(
                rejectedLines.last?.hasPrefix("total: 4 scope(s), 0 complete, 0 partial, 4 failed (4 rejected); ")
                    == true)
            #expect(
                rejected.stderr.hasSuffix(
                    "gateway-audit: error: every scope's credentials were rejected; check the variables the estate file names\n"
                ))

            let narrowed = try await f.collect(["--account", "prod-huawei", "--region", "ap-southeast-1"])
            #expect(narrowed.status == 0, "\(narrowed.stderr)")
            let lines = narrowed.stdout.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(
                lines.first?.hasPrefix("prod-huawei/ap-southeast-1/\(f.projects("ap-southeast-1")[0]): run ") == true)
        }
    }

    @Test("--project naming no project of the estate collects nothing: exit 2 with one line, no database")
    func noScopeLeft() async throws {
        try await Self.with { f in
            let typo = try await f.collect(["--project", "5f0d-typo"])
            #expect(typo.status == 2, "\(typo.stderr)")
            #expect(typo.stdout.isEmpty)
            #expect(
                typo.stderr
                    == "gateway-audit: error: \(f.config): no project \"5f0d-typo\" in the accounts and regions kept "
                    + "(--project); check the id, or leave --project out\n")
            #expect(!FileManager.default.fileExists(atPath: f.db))
        }
    }

    @Test("two accounts reaching the same projects, at once from the first night: every scope complete, verify clean")
    func sharedProjects() async throws {
        try await Self.with { f in
            // The OTC projects again, under a second account that signs with a key: each resource is seen by two
            // scopes at the same moment, new to both on the first night.
            let projects = f.projects("eu-de").map { "\"\($0)\"" }.joined(separator: ", ")
            let url = f.estate.regions["eu-de"]?.baseURLString ?? ""
            let file = """
                database = "\(f.db)"

                \(f.otcAccount)
                [[account]]
                name = "otc-keys"
                cloud = "otc"
                auth = "aksk"
                access_key_env = "PROD_AK"
                secret_key_env = "PROD_SK"
                regions = ["eu-de"]
                projects = [\(projects)]
                endpoints = { "eu-de" = "\(url)" }

                """
            try file.write(toFile: f.config, atomically: true, encoding: .utf8)
            for night in 1...2 {
                try await f.estate.advance(to: night)
                let result = try await f.collect()
                #expect(result.status == 0, "night \(night): \(result.stderr)")
                let lines = result.stdout.split(separator: "\n").map(String.init)
                #expect(lines.count == 5, "\(result.stdout)")
                #expect(lines.dropLast().allSatisfy { $0.contains(" complete: ") }, "\(result.stdout)")
                #expect(
                    lines.last?.hasPrefix("total: 4 scope(s), 4 complete, 0 partial, 0 failed (0 rejected); ") == true,
                    "\(result.stdout)")
            }
            let verified = try await f.cli(["verify"])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        }
    }

    @Test("a file with a literal secret collects nothing: exit 2 with one line naming file, line and key")
    func literalSecret() async throws {
        try await Self.with { f in
            let text = f.file.replacingOccurrences(
                of: "secret_key_env = \"PROD_SK\"", with: "secret_key = \"MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc\"")
            try text.write(toFile: f.config, atomically: true, encoding: .utf8)
            let result = try await f.collect()
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr
                    == "gateway-audit: error: \(f.config):8: account \"prod-huawei\".secret_key: a secret must not be "
                    + "written in the estate file; put it in an environment variable and name that variable with "
                    + "secret_key_env\n")
            #expect(!FileManager.default.fileExists(atPath: f.db))
            let check = try await CLI.run(["config", "check", "--config", f.config], environment: f.environment)
            #expect(check.status == 2)
            #expect(check.stderr == result.stderr)
            var unset = f.environment
            unset["OTC_DOMAIN"] = nil
            try f.file.write(toFile: f.config, atomically: true, encoding: .utf8)
            let missing = try await CLI.run(
                ["collect"], environment: unset.merging(["GATEWAY_AUDIT_CONFIG": f.config]) { $1 })
            #expect(missing.status == 2)
            #expect(
                missing.stderr
                    == "gateway-audit: error: \(f.config):19: account \"otc\".domain_env: environment variable "
                    + "OTC_DOMAIN is not set; export it (or fix the name)\n")
            #expect(!FileManager.default.fileExists(atPath: f.db))
            // A nightly job's heartbeat hears of it: started, then failed with the same line.
            let receiver = try await WebhookReceiver.start()
            defer { Task { await receiver.stop() } }
            let pinged = try await CLI.run(
                ["collect", "--config", f.config, "--heartbeat", receiver.baseURL + "/ping"], environment: unset)
            #expect(pinged.status == 2 && pinged.stderr == missing.stderr, "\(pinged.stderr)")
            #expect(await receiver.requests().map(\.path) == ["/ping/start", "/ping/fail"])
            let body = String(decoding: try #require(await receiver.requests().last).body, as: UTF8.self)
            #expect(body.contains("OTC_DOMAIN is not set"), "\(body)")
            #expect(!FileManager.default.fileExists(atPath: f.db))
        }
    }
}
