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

    /// The whole text of the metrics file.
    public func render(_ metrics: RunMetrics) -> String {
        let labels = metrics.scope.labels
        var text = ""
        // One registry per family: the registry emits families in hash order, the file should not move.
        func family(_ build: (PrometheusCollectorRegistry) -> Void) {
            let registry = PrometheusCollectorRegistry()
            build(registry)
            text += registry.emitToString()
        }
        family {
            Self.gauge(
                in: $0, name: "gateway_audit_last_run_timestamp_seconds", labels: labels,
                help: "Unix time the latest run ended, whatever its outcome."
            ).set(Self.seconds(metrics.lastRun))
        }
        if let success = metrics.lastSuccess {
            family {
                Self.gauge(
                    in: $0, name: "gateway_audit_last_success_timestamp_seconds", labels: labels,
                    help: "Unix time the latest complete run ended; alert when it grows old."
                ).set(Self.seconds(success))
            }
        }
        family {
            Self.gauge(
                in: $0, name: "gateway_audit_run_duration_seconds", labels: labels,
                help: "Wall-clock seconds the latest run took."
            ).set(metrics.durationSeconds)
        }
        family { registry in
            for status in Self.statuses {
                Self.gauge(
                    in: registry, name: "gateway_audit_run_status", labels: labels + [("status", status.rawValue)],
                    help: "Outcome of the latest run: 1 for its status, 0 for the others."
                )
                .set(status == metrics.status ? 1.0 : 0.0)
            }
        }
        if let resources = metrics.resources {
            family { registry in
                for (state, count) in [("present", resources.present), ("gone", resources.gone)] {
                    Self.gauge(
                        in: registry, name: "gateway_audit_resources", labels: labels + [("state", state)],
                        help: "Known resources by latest state, after the latest run."
                    ).set(Double(count))
                }
            }
        }
        family { registry in
            let counts = metrics.counts
            let values = [counts.unchanged, counts.changed, counts.new, counts.gone, counts.failed]
            for (outcome, count) in zip(Self.outcomes, values) {
                Self.gauge(
                    in: registry, name: "gateway_audit_observations_total", labels: labels + [("outcome", outcome)],
                    help: "Observations of the latest run by outcome (reset every run: a gauge)."
                ).set(Double(count))
            }
        }
        family {
            Self.gauge(
                in: $0, name: "gateway_audit_anomalies", labels: labels,
                help: "Timestamp and identity anomalies the latest run found."
            ).set(Double(metrics.anomalies))
        }
        if let bytes = metrics.databaseBytes {
            family {
                Self.gauge(
                    in: $0, name: "gateway_audit_database_bytes", labels: labels,
                    help: "Size of the history database file and its write-ahead log."
                ).set(Double(bytes))
            }
        }
        if let head = metrics.chainHead {
            family {
                Self.gauge(
                    in: $0, name: "gateway_audit_chain_head_info", labels: labels + [("head", head)],
                    help: "The history's chain head after the latest run, anchored outside the database."
                ).set(1.0)
            }
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
