import GatewayAuditCore
import GatewayAuditStore
import Prometheus

/// Renders ``RunMetrics`` in the Prometheus text exposition format (version 0.0.4) with
/// swift-prometheus, one family per fact, each with HELP and TYPE lines, in a fixed order.
public struct PrometheusTextRenderer: Sendable {
    /// The statuses a finished run reports, each as its own series (1 for the current one).
    public static let statuses: [RunStatus] = [.complete, .partial, .failed, .aborted]
    /// The outcomes of `gateway_audit_observations_total`.
    public static let outcomes = ["unchanged", "changed", "new", "gone", "failed"]

    /// Creates a renderer.
    public init() {}

    /// The whole text of the metrics file of one run.
    public func render(_ metrics: RunMetrics) -> String {
        render([metrics])
    }

    /// The whole text of the metrics file of several scopes (an estate night): each family once, with a
    /// series per scope (in swift-prometheus's order, which may change from one run to the next). A family no
    /// scope has a value for (a success, a chain head) is left out.
    public func render(_ all: [RunMetrics]) -> String {
        var text = ""
        // One registry per family: the registry emits families in hash order, the file should not move.
        func family(_ build: (PrometheusCollectorRegistry) -> Bool) {
            let registry = PrometheusCollectorRegistry()
            if build(registry) { text += registry.emitToString() }
        }
        // A gauge per scope that has a value, labelled with the scope's labels plus `extra`.
        func gauges(
            _ name: String, help: String, extra: [(String, String)] = [], _ value: (RunMetrics) -> Double?
        ) {
            family { registry in
                var any = false
                for metrics in all {
                    guard let value = value(metrics) else { continue }
                    Self.gauge(in: registry, name: name, labels: metrics.scope.labels + extra, help: help).set(value)
                    any = true
                }
                return any
            }
        }
        gauges(
            "gateway_audit_last_run_timestamp_seconds", help: "Unix time the latest run ended, whatever its outcome."
        ) { Self.seconds($0.lastRun) }
        gauges(
            "gateway_audit_last_success_timestamp_seconds",
            help: "Unix time the latest complete run ended; alert when it grows old."
        ) { $0.lastSuccess.map(Self.seconds) }
        gauges("gateway_audit_run_duration_seconds", help: "Wall-clock seconds the latest run took.") {
            $0.durationSeconds
        }
        family { registry in
            for metrics in all {
                for status in Self.statuses {
                    Self.gauge(
                        in: registry, name: "gateway_audit_run_status",
                        labels: metrics.scope.labels + [("status", status.rawValue)],
                        help: "Outcome of the latest run: 1 for its status, 0 for the others."
                    )
                    .set(status == metrics.status ? 1.0 : 0.0)
                }
            }
            return !all.isEmpty
        }
        family { registry in
            var any = false
            for metrics in all {
                guard let resources = metrics.resources else { continue }
                for (state, count) in [("present", resources.present), ("gone", resources.gone)] {
                    Self.gauge(
                        in: registry, name: "gateway_audit_resources",
                        labels: metrics.scope.labels + [("state", state)],
                        help: "Known resources by latest state, after the latest run."
                    ).set(Double(count))
                }
                any = true
            }
            return any
        }
        family { registry in
            for metrics in all {
                let counts = metrics.counts
                let values = [counts.unchanged, counts.changed, counts.new, counts.gone, counts.failed]
                for (outcome, count) in zip(Self.outcomes, values) {
                    Self.gauge(
                        in: registry, name: "gateway_audit_observations_total",
                        labels: metrics.scope.labels + [("outcome", outcome)],
                        help: "Observations of the latest run by outcome (reset every run: a gauge)."
                    ).set(Double(count))
                }
            }
            return !all.isEmpty
        }
        gauges("gateway_audit_anomalies", help: "Timestamp and identity anomalies the latest run found.") {
            Double($0.anomalies)
        }
        gauges(
            "gateway_audit_database_bytes", help: "Size of the history database file and its write-ahead log."
        ) { $0.databaseBytes.map(Double.init) }
        family { registry in
            var any = false
            for metrics in all {
                guard let head = metrics.chainHead else { continue }
                Self.gauge(
                    in: registry, name: "gateway_audit_chain_head_info",
                    labels: metrics.scope.labels + [("head", head)],
                    help: "The history's chain head after the latest run, anchored outside the database."
                ).set(1.0)
                any = true
            }
            return any
        }
        return text
    }

    /// The gauge `name` with `labels` in `registry`, with its HELP text.
    private static func gauge(
        in registry: PrometheusCollectorRegistry, name: String, labels: [(String, String)], help: String
    ) -> Gauge {
        // No unit: the names carry theirs (`_seconds`, `_bytes`), and the descriptor joins only non-empty parts.
        registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    static func seconds(_ instant: Instant) -> Double {
        Double(instant.seconds) + Double(instant.nanoseconds) / 1e9
    }
}
