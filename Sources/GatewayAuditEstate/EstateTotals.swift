import GatewayAudit

/// The totals over every scope of an estate run: one line for cron mail.
public struct EstateTotals: Sendable, Hashable {
    /// Scopes collected or attempted.
    public let scopes: Int
    /// Scopes whose run completed.
    public let complete: Int
    /// Scopes whose run was partial.
    public let partial: Int
    /// Scopes that failed (their run failed, or none could start).
    public let failed: Int
    /// Scopes whose credentials were rejected (counted in `failed`).
    public let rejected: Int
    /// Counts over every scope's run.
    public let counts: RunCounts

    /// Adds up `outcomes`.
    public init(_ outcomes: [ScopeOutcome]) {
        var counts = RunCounts()
        var complete = 0
        var partial = 0
        for outcome in outcomes {
            guard case .success(let summary) = outcome.result else { continue }
            counts.observed += summary.counts.observed
            counts.unchanged += summary.counts.unchanged
            counts.changed += summary.counts.changed
            counts.new += summary.counts.new
            counts.gone += summary.counts.gone
            counts.failed += summary.counts.failed
            if summary.status == .complete { complete += 1 }
            if summary.status == .partial { partial += 1 }
        }
        self.scopes = outcomes.count
        self.complete = complete
        self.partial = partial
        self.failed = outcomes.count - complete - partial
        self.rejected = outcomes.filter(\.isRejected).count
        self.counts = counts
    }

    /// `total: 5 scopes, 4 complete, 0 partial, 1 failed (1 rejected); 52 observed, …`.
    public var line: String {
        "total: \(scopes) scope(s), \(complete) complete, \(partial) partial, \(failed) failed (\(rejected) rejected); "
            + "\(counts.observed) observed, \(counts.unchanged) unchanged, \(counts.changed) changed, "
            + "\(counts.new) new, \(counts.gone) gone, \(counts.failed) failed"
    }
}
