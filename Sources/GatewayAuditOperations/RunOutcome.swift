import GatewayAudit
import GatewayAuditCore
import GatewayAuditMetrics

/// How one `collect` ended, as operations report it: the summary when the run reached the
/// database, the exit code the process returns, and the one-line error when there was one.
public struct RunOutcome: Sendable {
    /// The labels of the run's scope.
    public var scope: MonitoringScope
    /// The API endpoint (no credentials).
    public var endpoint: String
    /// What the run set out to observe (`all` from the listing, or `ids`).
    public var selection: RunScope
    /// The run's summary; nil when it never started (configuration, database or lock error).
    public var summary: RunSummary?
    /// When the process began the run.
    public var startedAt: Instant
    /// When the run ended.
    public var finishedAt: Instant
    /// The process's exit code.
    public var exitCode: Int32
    /// The error line, when the run failed or was partial.
    public var message: String?
    /// Anomalies the run found (filled in from the database after the run).
    public var anomalies = 0
    /// The scope as the history records it, when the caller knows it (an estate's scopes, with their
    /// account); else the one the endpoint names.
    public var historyScope: ScopeKey?

    /// Creates an outcome.
    public init(
        scope: MonitoringScope, endpoint: String, selection: RunScope, summary: RunSummary?, startedAt: Instant,
        finishedAt: Instant,
        exitCode: Int32, message: String?
    ) {
        self.scope = scope
        self.endpoint = endpoint
        self.selection = selection
        self.summary = summary
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.message = message
    }

    /// The run's status: a run that never started counts as failed.
    public var status: RunStatus { summary?.status ?? .failed }

    /// The run's counts (zero when it never started).
    public var counts: RunCounts { summary?.counts ?? RunCounts() }

    /// A clean night: exit 0 and nothing changed, appeared, went or failed. Quiet mode prints nothing then.
    public var isClean: Bool {
        let counts = self.counts
        return exitCode == 0 && status == .complete && counts.changed == 0 && counts.new == 0 && counts.gone == 0
            && counts.failed == 0
    }

    /// The line heartbeats and quiet mode show: the summary, or the error.
    public var line: String {
        switch (summary, message) {
        case (let summary?, let message?): return summary.line + "\n" + message
        case (let summary?, nil): return summary.line
        case (nil, let message?): return message
        case (nil, nil): return "gateway-audit collect ended with exit \(exitCode)"
        }
    }
}
