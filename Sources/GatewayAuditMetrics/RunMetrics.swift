import GatewayAuditCore
import GatewayAuditStore

/// The facts of one run that the metrics file exports, whatever the run's outcome.
public struct RunMetrics: Sendable, Hashable {
    /// Gateways by latest state.
    public struct Resources: Sendable, Hashable {
        /// Gateways whose latest state is present.
        public var present: Int
        /// Gateways whose latest state is gone.
        public var gone: Int

        /// Creates the counts.
        public init(present: Int, gone: Int) {
            self.present = present
            self.gone = gone
        }
    }

    /// The labels of every series.
    public var scope: MonitoringScope
    /// When this run ended (success or not).
    public var lastRun: Instant
    /// When the latest complete run ended; nil when none ever completed (the series is then absent).
    public var lastSuccess: Instant?
    /// Wall-clock seconds of this run.
    public var durationSeconds: Double
    /// How this run ended (`running` is never exported: a finished process reports its end).
    public var status: RunStatus
    /// This run's observations by outcome.
    public var counts: RunCounts
    /// Gateways whose latest state is present and gone; nil when the database could not be read.
    public var resources: Resources?
    /// Timestamp anomalies this run found.
    public var anomalies: Int
    /// Bytes of the database file and its write-ahead log; nil when there is no file.
    public var databaseBytes: Int64?
    /// The history's chain head after the run (nil when the run did not reach the database).
    public var chainHead: String?

    /// Creates the facts of one run.
    public init(
        scope: MonitoringScope, lastRun: Instant, lastSuccess: Instant?, durationSeconds: Double, status: RunStatus,
        counts: RunCounts, resources: Resources?, anomalies: Int, databaseBytes: Int64?,
        chainHead: String?
    ) {
        self.scope = scope
        self.lastRun = lastRun
        self.lastSuccess = lastSuccess
        self.durationSeconds = durationSeconds
        self.status = status
        self.counts = counts
        self.resources = resources
        self.anomalies = anomalies
        self.databaseBytes = databaseBytes
        self.chainHead = chainHead
    }
}
