import Foundation
import GatewayAudit
import Testing
import VPNSimulator

/// `collect --metrics-file`: the file node_exporter's textfile collector reads, checked value by value.
@Suite("metrics file: exact values after complete and failed runs", .serialized)
struct MetricsFileTests {
    @Test("a complete run exports its counts, status and chain head; a 401 moves last_run, not last_success")
    func values() async throws {
        try await EndToEnd.with { e in
            let path = e.directory.appendingPathComponent("gateway-audit.prom").path
            let project = e.cloud.projectID
            let before = Date().timeIntervalSince1970
            let first = try await e.collect(["--metrics-file", path])
            let after = Date().timeIntervalSince1970
            #expect(first.status == 0, "\(first.stderr)")
            var metrics = try MetricsText(try String(contentsOfFile: path, encoding: .utf8))
            let lastRun = try #require(metrics.value("gateway_audit_last_run_timestamp_seconds", project: project))
            let lastSuccess = try #require(
                metrics.value("gateway_audit_last_success_timestamp_seconds", project: project))
            #expect(lastRun >= before - 1 && lastRun <= after + 1)
            #expect(abs(lastSuccess - lastRun) < 1)
            for (status, expected) in [("complete", 1.0), ("partial", 0), ("failed", 0), ("aborted", 0)] {
                #expect(
                    metrics.value("gateway_audit_run_status", project: project, extra: "status=\"\(status)\"")
                        == expected)
            }
            for (outcome, expected) in [("unchanged", 0.0), ("changed", 0), ("new", 23), ("gone", 0), ("failed", 0)] {
                #expect(
                    metrics.value("gateway_audit_observations_total", project: project, extra: "outcome=\"\(outcome)\"")
                        == expected)
            }
            #expect(metrics.value("gateway_audit_resources", project: project, extra: "state=\"present\"") == 23)
            #expect(metrics.value("gateway_audit_resources", project: project, extra: "state=\"gone\"") == 0)
            #expect(metrics.value("gateway_audit_anomalies", project: project) != nil)
            let bytes = try #require(metrics.value("gateway_audit_database_bytes", project: project))
            let size = try FileManager.default.attributesOfItem(atPath: e.db)[.size] as? Int ?? 0
            #expect(bytes >= Double(size) && bytes > 0)
            let duration = try #require(metrics.value("gateway_audit_run_duration_seconds", project: project))
            #expect(duration > 0 && duration < after - before + 1)
            let printed = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").last.map(
                String.init)
            #expect(metrics.chainHead == printed, "the metrics file anchors the chain head")
            let families = [
                "gateway_audit_last_run_timestamp_seconds", "gateway_audit_last_success_timestamp_seconds",
                "gateway_audit_run_duration_seconds", "gateway_audit_run_status", "gateway_audit_resources",
                "gateway_audit_observations_total", "gateway_audit_anomalies", "gateway_audit_database_bytes",
                "gateway_audit_chain_head_info",
            ]
            for family in families {
                #expect(metrics.types[family] == "gauge" && metrics.helps.contains(family), "\(family)")
            }

            try await Task.sleep(for: .milliseconds(1100))
            var env = e.akskEnvironment
            env["HW_SECRET_KEY"] = "not-the-secret"
            let rejected = try await e.collect(["--metrics-file", path], environment: env)
            #expect(rejected.status == 3)
            metrics = try MetricsText(try String(contentsOfFile: path, encoding: .utf8))
            let failedRun = try #require(metrics.value("gateway_audit_last_run_timestamp_seconds", project: project))
            #expect(failedRun > lastRun + 1, "a failed run moves last_run")
            #expect(
                metrics.value("gateway_audit_last_success_timestamp_seconds", project: project) == lastSuccess,
                "a failed run keeps last_success")
            #expect(metrics.value("gateway_audit_run_status", project: project, extra: "status=\"failed\"") == 1)
            #expect(metrics.value("gateway_audit_run_status", project: project, extra: "status=\"complete\"") == 0)
            #expect(metrics.value("gateway_audit_resources", project: project, extra: "state=\"present\"") == 23)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: e.directory.path).filter {
                $0.hasSuffix(".tmp")
            }
            #expect(leftovers.isEmpty, "the atomic write leaves no temporary file")
        }
    }

    @Test(
        "a --kind run has its own series: its resources are of its kind, and its success never stands for the nightly run's"
    )
    func kindRun() async throws {
        try await EndToEnd.with { e in
            let path = e.directory.appendingPathComponent("gateway-audit.prom").path
            let project = e.cloud.projectID
            let full = try await e.collect(["--metrics-file", path])
            #expect(full.status == 0, "\(full.stderr)")
            let nightly = try #require(
                try MetricsText(try String(contentsOfFile: path, encoding: .utf8))
                    .value("gateway_audit_last_success_timestamp_seconds", project: project))
            try await Task.sleep(for: .milliseconds(20))
            let kind = try await e.collect(["--metrics-file", path, "--kind", "vpn-gateway"])
            #expect(kind.status == 0, "\(kind.stderr)")
            var env = e.akskEnvironment
            env["HW_SECRET_KEY"] = "not-the-secret"
            let rejected = try await e.collect(["--metrics-file", path], environment: env)
            #expect(rejected.status == 3, "\(rejected.stderr)")
            let metrics = try MetricsText(try String(contentsOfFile: path, encoding: .utf8))
            let kindSuccess = try #require(
                metrics.value("gateway_audit_last_success_timestamp_seconds", project: project, kind: "vpn-gateway"))
            // The nightly series failed and keeps the full run's success, not the later --kind run's.
            #expect(metrics.value("gateway_audit_last_success_timestamp_seconds", project: project) == nightly)
            #expect(kindSuccess > nightly)
            #expect(
                metrics.value("gateway_audit_run_status", project: project, extra: "status=\"failed\"") == 1)
            #expect(
                metrics.value(
                    "gateway_audit_run_status", project: project, kind: "vpn-gateway", extra: "status=\"complete\"")
                    == 1)
            // 3 VPN gateways of the 23 resources.
            #expect(
                metrics.value(
                    "gateway_audit_resources", project: project, kind: "vpn-gateway", extra: "state=\"present\"")
                    == 3)
            #expect(
                try sqlite3(e.db, "SELECT COALESCE(kinds, 'NULL') FROM run ORDER BY id") == "NULL\nvpn-gateway\nNULL")
            // `runs` shows them, newest first: empty for every kind.
            let csv = try await CLI.run(["runs", "--db", e.db, "--format", "csv"])
            #expect(
                csv.stdout.hasPrefix(
                    "run,status,started,finished,observed,unchanged,changed,new,gone,failed,"
                        + "message,account,region,project_id,kinds\r\n"), "\(csv.stdout)")
            let json = try await CLI.run(["runs", "--db", e.db, "--format", "json"])
            let kinds = try json.stdout.split(separator: "\n").map {
                (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String])?["kinds"]
            }
            #expect(kinds == ["", "vpn-gateway", ""], "\(json.stdout)")
        }
    }

    @Test("a run that cannot open its database still writes the file: failed, last_success carried forward")
    func databaseError() async throws {
        try await EndToEnd.with { e in
            let path = e.directory.appendingPathComponent("gateway-audit.prom").path
            _ = try await e.collect(["--metrics-file", path])
            let project = e.cloud.projectID
            let success = try MetricsText(try String(contentsOfFile: path, encoding: .utf8))
                .value("gateway_audit_last_success_timestamp_seconds", project: project)
            let notDB = e.directory.appendingPathComponent("notes.txt").path
            try Data("hello".utf8).write(to: URL(fileURLWithPath: notDB))
            let broken = try await CLI.run(
                ["collect", "--endpoint", e.running.baseURLString, "--db", notDB, "--metrics-file", path],
                environment: e.akskEnvironment)
            #expect(broken.status == 4)
            let metrics = try MetricsText(try String(contentsOfFile: path, encoding: .utf8))
            #expect(metrics.value("gateway_audit_run_status", project: project, extra: "status=\"failed\"") == 1)
            #expect(
                success != nil
                    && metrics.value("gateway_audit_last_success_timestamp_seconds", project: project) == success)
            #expect(metrics.value("gateway_audit_resources", project: project, extra: "state=\"present\"") == nil)
        }
    }

    @Test("configuration that breaks (CA file, notify format) fails the run in the metrics file and the heartbeat")
    func brokenConfiguration() async throws {
        try await EndToEnd.with { e in
            let receiver = try await WebhookReceiver.start()
            defer { Task { await receiver.stop() } }
            let path = e.directory.appendingPathComponent("gateway-audit.prom").path
            let ping = receiver.baseURL + "/ping"
            #expect(try await e.collect(["--metrics-file", path, "--heartbeat", ping]).status == 0)
            let project = e.cloud.projectID
            let success = try MetricsText(try String(contentsOfFile: path, encoding: .utf8))
                .value("gateway_audit_last_success_timestamp_seconds", project: project)
            let garbage = e.directory.appendingPathComponent("ca.pem").path
            try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: garbage))
            let badCA = try await e.collect(["--metrics-file", path, "--heartbeat", ping, "--ca-file", garbage])
            #expect(badCA.status == 2, "\(badCA.stderr)")
            var metrics = try MetricsText(try String(contentsOfFile: path, encoding: .utf8))
            #expect(metrics.value("gateway_audit_run_status", project: project, extra: "status=\"failed\"") == 1)
            #expect(
                success != nil
                    && metrics.value("gateway_audit_last_success_timestamp_seconds", project: project) == success)
            var environment = e.akskEnvironment
            environment["GATEWAY_AUDIT_NOTIFY_FORMAT"] = "Slack"
            let badFormat = try await e.collect(
                ["--metrics-file", path, "--heartbeat", ping], environment: environment)
            #expect(badFormat.status == 2)
            #expect(badFormat.stderr == "gateway-audit: error: GATEWAY_AUDIT_NOTIFY_FORMAT must be json or slack\n")
            metrics = try MetricsText(try String(contentsOfFile: path, encoding: .utf8))
            #expect(metrics.value("gateway_audit_run_status", project: project, extra: "status=\"failed\"") == 1)
            let paths = await receiver.requests().map(\.path)
            #expect(paths == ["/ping/start", "/ping", "/ping/start", "/ping/fail", "/ping/start", "/ping/fail"])
            let runs = try sqlite3(e.db, "SELECT COUNT(*) FROM run")
            #expect(runs == "1", "neither broken run reached the database")
        }
    }

}
