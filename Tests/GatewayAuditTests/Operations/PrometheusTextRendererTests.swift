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
        #expect(file.previousLastSuccess() == nil)
        let metrics = RunMetrics(
            scope: MonitoringScope(region: "", projectID: "p"), lastRun: Instant(seconds: 20),
            lastSuccess: Instant(seconds: 10, nanoseconds: 250_000_000),
            durationSeconds: 1, status: .complete, counts: RunCounts(), resources: nil, anomalies: 0,
            databaseBytes: nil, chainHead: nil)
        try file.write(metrics)
        #expect(file.previousLastSuccess() == Instant(seconds: 10, nanoseconds: 250_000_000))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["m.prom"])
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
        #expect(throws: MetricsError.self) { try MetricsFile(path: "/nonexistent-folder/m.prom").write(metrics) }
    }
}
