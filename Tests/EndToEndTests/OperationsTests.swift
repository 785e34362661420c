import Foundation
import GatewayAudit
import Testing
import VPNSimulator

/// Monitoring, heartbeats and notifications of `collect`, against the built binary, the simulator and
/// a local webhook receiver on 127.0.0.1.
@Suite("operations: metrics file, heartbeat, notifications, quiet", .serialized)
struct OperationsTests {
    static let hookToken = "hook-TOKEN-5d1c0a77e2"

    @Test("the notification validates against reports/notification.schema.json and carries the run")
    func notificationDocument() async throws {
        try await EndToEnd.with { e in
            let receiver = try await WebhookReceiver.start()
            defer { Task { await receiver.stop() } }
            let hook = "\(receiver.baseURL)/hooks/\(Self.hookToken)?key=\(Self.hookToken)"
            let result = try await e.collect(["--notify", hook])
            #expect(result.status == 0, "\(result.stderr)")
            let requests = await receiver.requests()
            try #require(requests.count == 1)
            #expect(requests[0].path == "/hooks/\(Self.hookToken)")
            #expect(requests[0].contentType == "application/json")
            let document = try #require(try JSONSerialization.jsonObject(with: requests[0].body) as? [String: Any])
            let problems = try SchemaCheck.load().problems(document)
            #expect(problems.isEmpty, "\(problems)")
            #expect(document["run_id"] as? Int == 1)
            #expect(document["status"] as? String == "complete")
            let counts = try #require(document["counts"] as? [String: Int])
            #expect(counts["new"] == 23 && counts["observed"] == 23 && counts["failed"] == 0)
            let entries = try #require(document["entries"] as? [[String: Any]])
            let firstSeen = entries.filter { $0["event"] as? String == "first-seen" }
            #expect(firstSeen.count == 23)
            // Every entry names its resource's kind: 13 customer gateways, 3 VPN gateways, 7 connections.
            let kinds = firstSeen.compactMap { $0["resource_kind"] as? String }
            #expect(kinds.filter { $0 == "customer-gateway" }.count == 13)
            #expect(
                kinds.filter { $0 == "vpn-gateway" }.count == 3 && kinds.filter { $0 == "vpn-connection" }.count == 7)
            let anomalies = entries.filter { $0["event"] as? String == "anomaly" }
            #expect(anomalies.count == counts["anomalies"] && entries.count == 23 + anomalies.count)
            #expect(
                anomalies.allSatisfy {
                    $0["field"] is String && $0["detail"] is String && $0["resource_kind"] is String
                })
            #expect(document["entries_omitted"] as? Int == 0)
            let head = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").last.map(
                String.init)
            #expect(document["chain_head"] as? String == head, "the notification anchors the printed chain head")

            // Same night again: nothing new, so nothing is posted.
            let clean = try await e.collect(["--notify", hook])
            #expect(clean.status == 0)
            #expect(await receiver.requests().count == 1)
        }
    }

    @Test("a webhook that keeps refusing gets the missed nights again without holding back one that accepts")
    func ledgerPerWebhook() async throws {
        try await EndToEnd.with { e in
            let working = try await WebhookReceiver.start()
            let refusing = try await WebhookReceiver.start(script: [404, 404, 404])
            defer {
                Task {
                    await working.stop()
                    await refusing.stop()
                }
            }
            let hooks = ["--notify", working.baseURL + "/ok", "--notify", refusing.baseURL + "/gone"]
            for night in 1...3 {
                if night > 1 { try await e.cloud.advance(to: night) }
                let result = try await e.collect(hooks)
                #expect(result.status == 0, "\(result.stderr)")
            }
            func firstRuns(_ receiver: WebhookReceiver) async throws -> [Int] {
                try await receiver.requests().map { request in
                    let document = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
                    return try #require(document["digest_first_run"] as? Int)
                }
            }
            // The working webhook hears each night once; the refusing one (404 is final) is sent every night since
            // the first, and would be again until it accepts.
            var heard = (working: try await firstRuns(working), refusing: try await firstRuns(refusing))
            #expect(heard.working == [1, 2, 3])
            #expect(heard.refusing == [1, 1, 1])
            try await e.cloud.advance(to: 4)
            #expect(try await e.collect(hooks).status == 0)
            heard = (working: try await firstRuns(working), refusing: try await firstRuns(refusing))
            #expect(heard.working.last == 4)
            #expect(heard.refusing.last == 1)
            // It accepted run 4's digest (runs 1 to 4): the next night it hears only what is new.
            try await e.cloud.advance(to: 5)
            #expect(try await e.collect(hooks).status == 0)
            #expect(try await firstRuns(refusing).last == 5)
        }
    }

    @Test("a receiver answering 500 three times then 200 gets exactly one delivered document")
    func retriesUntilDelivered() async throws {
        try await EndToEnd.with { e in
            let receiver = try await WebhookReceiver.start(script: [500, 500, 500])
            defer { Task { await receiver.stop() } }
            let result = try await e.collect(["--notify", receiver.baseURL + "/hook", "--log-level", "info"])
            #expect(result.status == 0, "\(result.stderr)")
            let requests = await receiver.requests()
            #expect(requests.map(\.status) == [500, 500, 500, 200])
            #expect(Set(requests.map(\.body)).count == 1, "every attempt posts the same document")
            #expect(result.stderr.contains("notification delivered attempts=4"), "\(result.stderr)")
        }
    }

    @Test("a receiver that never answers does not hold the run past --notify-timeout")
    func hungReceiver() async throws {
        try await EndToEnd.with { e in
            let silent = try await SilentReceiver.start()
            defer { Task { await silent.stop() } }
            let clock = ContinuousClock()
            let started = clock.now
            let result = try await e.collect([
                "--notify", "http://127.0.0.1:\(silent.port)/hooks/\(Self.hookToken)", "--notify-timeout", "2",
                "--quiet",
            ])
            let elapsed = started.duration(to: clock.now)
            #expect(result.status == 0, "a notification failure changes no exit code: \(result.stderr)")
            // Without the 2 s budget the default 30 s one would apply: 25 s tells them apart on a loaded machine.
            #expect(elapsed < .seconds(25), "took \(elapsed)")
            #expect(result.stdout.hasPrefix("run 1 complete: 23 observed"))
            #expect(result.stderr.contains("notification not delivered"))
            #expect(result.stderr.contains("http://127.0.0.1:\(silent.port)/…"))
            #expect(!result.stderr.contains(Self.hookToken), "the webhook's secret never reaches a log line")
        }
    }

    @Test("heartbeat: start then success for a complete run; start then fail, or the exit code, for a 401")
    func heartbeatSequences() async throws {
        try await EndToEnd.with { e in
            let receiver = try await WebhookReceiver.start()
            defer { Task { await receiver.stop() } }
            let ping = receiver.baseURL + "/ping/\(Self.hookToken)"
            let complete = try await e.collect(["--heartbeat", ping])
            #expect(complete.status == 0, "\(complete.stderr)")
            var env = e.akskEnvironment
            env["HW_SECRET_KEY"] = "not-the-secret"
            let rejected = try await e.collect(["--heartbeat", ping], environment: env)
            #expect(rejected.status == 3)
            let coded = try await e.collect(["--heartbeat", ping, "--heartbeat-style", "exit-code"], environment: env)
            #expect(coded.status == 3)
            let paths = await receiver.requests().map {
                $0.path.replacingOccurrences(of: "/ping/\(Self.hookToken)", with: "URL")
            }
            #expect(paths == ["URL/start", "URL", "URL/start", "URL/fail", "URL/start", "URL/3"])
            let bodies = await receiver.requests().map { String(decoding: $0.body, as: UTF8.self) }
            #expect(bodies[1].hasPrefix("run 1 complete: 23 observed"), "the end ping carries the summary")
            #expect(bodies[3].contains("authentication rejected"))

            // Uptime Kuma's push URL: no start ping, one GET with status and msg set, its other parameters kept.
            let kuma = receiver.baseURL + "/api/push/\(Self.hookToken)?status=up&msg=OK&ping="
            let up = try await e.collect(["--heartbeat", kuma, "--heartbeat-style", "status"])
            #expect(up.status == 0, "\(up.stderr)")
            let down = try await e.collect(["--heartbeat", kuma, "--heartbeat-style", "status"], environment: env)
            #expect(down.status == 3)
            let pushes = await receiver.requests().dropFirst(6)
            #expect(pushes.map(\.method) == ["GET", "GET"])
            #expect(pushes.map(\.path) == ["/api/push/\(Self.hookToken)", "/api/push/\(Self.hookToken)"])
            let queries = pushes.map { URLComponents(string: "x:?" + $0.query)?.queryItems ?? [] }
            #expect(queries.map { $0.map(\.name) } == [["ping", "status", "msg"], ["ping", "status", "msg"]])
            #expect(queries.map { $0.first { $0.name == "status" }?.value } == ["up", "down"])
            let messages = queries.map { $0.first { $0.name == "msg" }?.value ?? "" }
            #expect(messages[0].hasPrefix("run 4 complete: 23 observed"), "\(messages[0])")
            #expect(messages[1].contains("authentication rejected"), "\(messages[1])")
            #expect(!up.stderr.contains("heartbeat not delivered"), "\(up.stderr)")
        }
    }

    @Test("an unreachable heartbeat is logged once and changes nothing")
    func heartbeatDown() async throws {
        try await EndToEnd.with { e in
            let silent = try await SilentReceiver.start()
            let port = silent.port
            await silent.stop()
            let result = try await e.collect(["--heartbeat", "http://127.0.0.1:\(port)/ping/\(Self.hookToken)"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.components(separatedBy: "heartbeat not delivered").count == 2, "\(result.stderr)")
            #expect(!result.stderr.contains(Self.hookToken))
        }
    }

    @Test("--notify and --heartbeat refuse plain http off loopback, without echoing the secret")
    func insecureWebhook() async throws {
        try await EndToEnd.with { e in
            let result = try await e.collect(["--notify", "http://hooks.example.com/services/\(Self.hookToken)"])
            #expect(result.status == 2)
            #expect(
                result.stderr == "gateway-audit: error: --notify http://hooks.example.com/…: only https:// is allowed "
                    + "(plain http:// only to 127.0.0.1 or localhost); use the https URL\n")
            #expect(!FileManager.default.fileExists(atPath: e.db), "refused before anything was collected")
        }
    }

    @Test("--notify-format slack posts {\"text\": …}")
    func slackFormat() async throws {
        try await EndToEnd.with { e in
            let receiver = try await WebhookReceiver.start()
            defer { Task { await receiver.stop() } }
            let result = try await e.collect(["--notify", receiver.baseURL + "/slack", "--notify-format", "slack"])
            #expect(result.status == 0, "\(result.stderr)")
            let body = try #require(await receiver.requests().first?.body)
            let message = try #require(try JSONSerialization.jsonObject(with: body) as? [String: String])
            #expect(Array(message.keys) == ["text"])
            let text = try #require(message["text"])
            #expect(
                text.hasPrefix(
                    "*gateway-audit* run 1 complete (exit 0) on project \(e.cloud.projectID): 0 changed, 23 new, 0 gone, 0 failed"
                ))
            #expect(text.contains("… and 0 more") == false)
        }
    }

    @Test("--quiet prints nothing on a clean night and one line on a night with news")
    func quiet() async throws {
        try await EndToEnd.with { e in
            let first = try await e.collect(["--quiet"])
            #expect(first.status == 0)
            #expect(first.stdout.split(separator: "\n").count == 1)
            let clean = try await e.collect(["--quiet"])
            #expect(clean.status == 0)
            #expect(clean.stdout.isEmpty && clean.stderr.isEmpty, "cron mails nothing: \(clean.stdout)\(clean.stderr)")
            try await e.cloud.advance(to: 3)
            let news = try await e.collect(["--quiet"])
            #expect(news.stdout.split(separator: "\n").count == 1)
            #expect(news.stdout.contains(" changed, "))
        }
    }

    @Test("projects sharing a database and a webhook: each run's notification carries its own project's news only")
    func notificationsPerProject() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var credentials = SimulatorCredentials.standard
        credentials.sdkDateClock = .wall
        let first = try SimulatedCloud(scenario: .standard, credentials: credentials)
        let otherIDs = (1...2).map { String(format: "0f0f0f0f-0000-4000-8000-%012d", $0) }
        let other = try SimulatedCloud(
            scenario: Scenario(
                name: "other", seed: 9, projectID: "ffffeeeeddddccccbbbbaaaa99998888", start: "2025-03-01T02:00:00Z",
                nights: 1,
                gateways: otherIDs.map {
                    SimulatedGateway(
                        id: GatewayID($0), name: "other-\($0.suffix(2))", idValue: "198.51.100.\($0.suffix(1))",
                        createdAt: "2025-01-01T00:00:00.000Z")
                }), credentials: credentials)
        let running = try await SimulatorServer(clouds: first, [other]).start()
        let receiver = try await WebhookReceiver.start()
        defer {
            Task {
                await receiver.stop()
                await running.stop()
            }
        }
        let pair = SimulatorCredentials.standard.keyPairs[0]
        let db = directory.appendingPathComponent("history.sqlite").path
        func collect(_ project: String) async throws -> ProcessResult {
            try await CLI.run(
                ["collect", "--endpoint", running.baseURLString, "--db", db, "--notify", receiver.baseURL + "/team"],
                environment: [
                    "HW_ACCESS_KEY": pair.accessKey, "HW_SECRET_KEY": pair.secretKey, "HW_PROJECT_ID": project,
                ])
        }
        func entryIDs(_ request: Int) async throws -> Set<String> {
            let body = try #require(await receiver.requests().dropFirst(request).first).body
            let document = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let entries = try #require(document["entries"] as? [[String: Any]])
            return Set(entries.compactMap { $0["gateway_id"] as? String })
        }
        #expect(try await collect(first.projectID).status == 0)
        #expect(try await collect(other.projectID).status == 0)
        #expect(await receiver.requests().count == 2)
        #expect(try await entryIDs(1) == Set(otherIDs), "the second project's digest holds its 2 gateways only")
        // The first project again, nothing new: the second project's runs in between are not its news.
        let again = try await collect(first.projectID)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(await receiver.requests().count == 2)
        try await first.advance(to: 2)
        #expect(try await collect(first.projectID).status == 0)
        let news = try await entryIDs(2)
        #expect(!news.isEmpty && news.isDisjoint(with: otherIDs))
    }

}
