import Foundation
import GatewayAudit
import GatewayAuditMetrics
import Testing

/// The metrics file's text, byte for byte, for one run.
@Suite("metrics text: families, labels, values")
struct PrometheusTextRendererTests {
    @Test("every family with HELP and TYPE, families in a fixed order, with the scope labels")
    func text() {
        var counts = RunCounts()
        counts.observed = 5
        counts.unchanged = 3
        counts.changed = 1
        counts.failed = 1
        let metrics = RunMetrics(
            scope: MonitoringScope(region: "eu-de", projectID: "p1"),
            lastRun: Instant(seconds: 1_764_400_000, nanoseconds: 500_000_000),
            lastSuccess: Instant(seconds: 1_764_300_000), durationSeconds: 2.25, status: .partial, counts: counts,
            resources: .init(present: 12, gone: 2), anomalies: 1, databaseBytes: 4096,
            chainHead: String(repeating: "a", count: 64))
        let text = PrometheusTextRenderer().render(metrics)
        let scope = #"account="",region="eu-de",project_id="p1",kind="all""#
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        // Families come in a fixed order; series inside a labelled family in swift-prometheus's order.
        let families = lines.map { String($0.prefix { $0 != "{" }) }
        #expect(
            families.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } } == [
                "gateway_audit_last_run_timestamp_seconds", "gateway_audit_last_success_timestamp_seconds",
                "gateway_audit_run_duration_seconds", "gateway_audit_run_status", "gateway_audit_resources",
                "gateway_audit_observations_total", "gateway_audit_anomalies", "gateway_audit_database_bytes",
                "gateway_audit_chain_head_info",
            ])
        #expect(
            lines.sorted()
                == [
                    "gateway_audit_last_run_timestamp_seconds{\(scope)} 1764400000.5",
                    "gateway_audit_last_success_timestamp_seconds{\(scope)} 1764300000.0",
                    "gateway_audit_run_duration_seconds{\(scope)} 2.25",
                    "gateway_audit_run_status{\(scope),status=\"complete\"} 0.0",
                    "gateway_audit_run_status{\(scope),status=\"partial\"} 1.0",
                    "gateway_audit_run_status{\(scope),status=\"failed\"} 0.0",
                    "gateway_audit_run_status{\(scope),status=\"aborted\"} 0.0",
                    "gateway_audit_resources{\(scope),state=\"present\"} 12.0",
                    "gateway_audit_resources{\(scope),state=\"gone\"} 2.0",
                    "gateway_audit_observations_total{\(scope),outcome=\"unchanged\"} 3.0",
                    "gateway_audit_observations_total{\(scope),outcome=\"changed\"} 1.0",
                    "gateway_audit_observations_total{\(scope),outcome=\"new\"} 0.0",
                    "gateway_audit_observations_total{\(scope),outcome=\"gone\"} 0.0",
                    "gateway_audit_observations_total{\(scope),outcome=\"failed\"} 1.0",
                    "gateway_audit_anomalies{\(scope)} 1.0",
                    "gateway_audit_database_bytes{\(scope)} 4096.0",
                    "gateway_audit_chain_head_info{\(scope),head=\"\(String(repeating: "a", count: 64))\"} 1.0",
                ].sorted())
        #expect(
            text.components(separatedBy: "# HELP ").count == 10 && text.components(separatedBy: "# TYPE ").count == 10)
    }

    @Test("the file is replaced atomically and carries last_success forward")
    func file() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = MetricsFile(path: folder.appendingPathComponent("m.prom").path)
        let scope = MonitoringScope(region: "", projectID: "p")
        #expect(file.previousLastSuccess(of: scope) == nil)
        let metrics = RunMetrics(
            scope: MonitoringScope(region: "", projectID: "p"), lastRun: Instant(seconds: 20),
            lastSuccess: Instant(seconds: 10, nanoseconds: 250_000_000),
            durationSeconds: 1, status: .complete, counts: RunCounts(), resources: nil, anomalies: 0,
            databaseBytes: nil, chainHead: nil)
        try file.write(metrics)
        #expect(file.previousLastSuccess(of: scope) == Instant(seconds: 10, nanoseconds: 250_000_000))
        #expect(file.previousLastSuccess(of: MonitoringScope(region: "", projectID: "other")) == nil)
        // No temporary file is left; the lock file is a dot-file, which node_exporter does not read.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [".m.prom.lock", "m.prom"])
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
        #expect(throws: MetricsError.self) { try MetricsFile(path: "/nonexistent-folder/m.prom").write(metrics) }
    }

    /// Each sample line of `text` as `series → value`.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        return samples
    }

    static func metrics(
        _ scope: MonitoringScope, run: Int64, success: Int64?, status: RunStatus = .complete, head: String? = nil
    ) -> RunMetrics {
        RunMetrics(
            scope: scope, lastRun: Instant(seconds: run), lastSuccess: success.map { Instant(seconds: $0) },
            durationSeconds: 1, status: status, counts: RunCounts(), resources: .init(present: 1, gone: 0),
            anomalies: 0, databaseBytes: 100, chainHead: head)
    }

    @Test("several scopes (an estate night): each family once, a series per scope, a value only where a scope has one")
    func scopes() throws {
        let first = MonitoringScope(account: "prod", region: "eu-de", projectID: "p1")
        let second = MonitoringScope(account: "prod", region: "eu-nl", projectID: "p2")
        let text = PrometheusTextRenderer().render([
            Self.metrics(first, run: 20, success: 20, head: String(repeating: "b", count: 64)),
            Self.metrics(second, run: 20, success: nil, status: .failed),
        ])
        let samples = Self.samples(text)
        #expect(text.components(separatedBy: "# HELP ").count == 10)
        #expect(text.components(separatedBy: "# TYPE gateway_audit_run_status ").count == 2)
        let labels = { (scope: MonitoringScope) in
            "account=\"\(scope.account)\",region=\"\(scope.region)\",project_id=\"\(scope.projectID)\",kind=\"all\""
        }
        #expect(samples["gateway_audit_last_success_timestamp_seconds{\(labels(first))}"] == 20)
        #expect(samples["gateway_audit_last_success_timestamp_seconds{\(labels(second))}"] == nil)
        #expect(samples["gateway_audit_run_status{\(labels(first)),status=\"complete\"}"] == 1)
        #expect(samples["gateway_audit_run_status{\(labels(second)),status=\"failed\"}"] == 1)
        #expect(samples.keys.filter { $0.hasPrefix("gateway_audit_chain_head_info{") }.count == 1)
        #expect(samples.count == 17 + 15)
    }

    @Test("a run keeps the other scopes' series the file holds; an earlier form's lines go; labels round-trip escaped")
    func keepsOtherScopes() throws {
        try Self.withFile { file in
            let nightly = MonitoringScope(account: "a \"quoted\" \\ name", region: "eu-de", projectID: "p1")
            let other = MonitoringScope(account: "a \"quoted\" \\ name", region: "eu-de", projectID: "p2")
            let kind = MonitoringScope(region: "", projectID: "p1", kind: "vpn-gateway")
            try file.write([Self.metrics(nightly, run: 10, success: 10), Self.metrics(other, run: 10, success: 9)])
            // An earlier release's line (no kind label) in the file: dropped by the next write.
            let earlier = #"gateway_audit_last_run_timestamp_seconds{account="",region="",project_id="old"} 5.0"#
            try (String(contentsOfFile: file.path, encoding: .utf8) + earlier + "\n").write(
                toFile: file.path, atomically: true, encoding: .utf8)
            // A hand run of one kind of p1, then the nightly scope p2 again.
            try file.write(Self.metrics(kind, run: 30, success: 30, status: .complete))
            try file.write(Self.metrics(other, run: 40, success: nil, status: .failed))
            let text = try String(contentsOfFile: file.path, encoding: .utf8)
            #expect(!text.contains("project_id=\"old\""))
            // Every family once, `last_success` kept from the earlier scopes though the new run has none; no
            // chain head (no run here had one).
            #expect(text.components(separatedBy: "# HELP ").count == 9, "\(text)")
            #expect(text.components(separatedBy: "# HELP gateway_audit_last_success_timestamp_seconds ").count == 2)
            let runs = Self.samples(text).filter { $0.key.hasPrefix("gateway_audit_last_run_timestamp_seconds{") }
            #expect(runs.count == 3)
            #expect(Set(file.previousScopes().map(\.scope)) == [other, nightly, kind])
            #expect(file.previousLastSuccess(of: nightly) == Instant(seconds: 10))
            // The failed run of p2 carried nothing (the caller carries its last success): the series has none.
            #expect(file.previousLastSuccess(of: other) == nil)
            #expect(file.previousLastSuccess(of: kind) == Instant(seconds: 30))
            #expect(
                text.contains(
                    #"gateway_audit_run_status{account="a \"quoted\" \\ name",region="eu-de",project_id="p2",kind="all",status="failed"} 1.0"#
                ))
        }
    }

    @Test("a write retires the series its predicate names (escaped labels read back) and keeps the others")
    func retiring() throws {
        try Self.withFile { file in
            let kept = MonitoringScope(account: "a \"q\" \\", region: "eu-de", projectID: "p1")
            let dropped = MonitoringScope(account: "a \"q\" \\", region: "eu-de", projectID: "p2")
            let own = MonitoringScope(region: "", projectID: "p2")
            try file.write([
                Self.metrics(kept, run: 10, success: 10), Self.metrics(dropped, run: 10, success: 10),
                Self.metrics(own, run: 10, success: 10),
            ])
            try file.write([Self.metrics(kept, run: 20, success: 20)]) {
                $0.account == kept.account && $0.projectID == "p2"
            }
            #expect(file.previousScopes().map(\.scope) == [kept, own])
            #expect(file.previousLastSuccess(of: kept) == Instant(seconds: 20))
            let text = try String(contentsOfFile: file.path, encoding: .utf8)
            #expect(!text.contains(#"region="eu-de",project_id="p2""#), "\(text)")
            #expect(text.contains(#"account="",region="",project_id="p2""#))
        }
    }

    @Test(
        "a series without a project (a run that failed before it knew one) gives way to its account's first series with one"
    )
    func placeholderReplaced() throws {
        try Self.withFile { file in
            let region = MonitoringScope(account: "otc", region: "eu-de", projectID: "")
            let otherRegion = MonitoringScope(account: "otc", region: "eu-nl", projectID: "")
            let otherAccount = MonitoringScope(account: "lab", region: "eu-de", projectID: "")
            try file.write(
                [region, otherRegion, otherAccount].map { Self.metrics($0, run: 10, success: nil, status: .failed) })
            try file.write(
                Self.metrics(MonitoringScope(account: "otc", region: "eu-de", projectID: "p1"), run: 20, success: 20))
            #expect(Set(file.previousScopes().map(\.scope.projectID)) == ["", "p1"])
            #expect(
                Set(file.previousScopes().map(\.scope))
                    == [otherRegion, otherAccount, MonitoringScope(account: "otc", region: "eu-de", projectID: "p1")])
        }
    }

    /// Runs `body` with a metrics file in a folder of its own, removed after.
    static func withFile(_ body: (MetricsFile) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(MetricsFile(path: folder.appendingPathComponent("m.prom").path))
    }
}
