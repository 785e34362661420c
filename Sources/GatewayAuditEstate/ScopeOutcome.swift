import GatewayAudit

/// How one scope's collection ended: its run's summary, or the error that kept the run from starting.
public struct ScopeOutcome: Sendable {
    /// The scope (nil for a region whose projects could not be listed).
    public let scope: ScopeKey?
    /// `account/region/project` as lines show it.
    public let label: String
    /// The run's summary (whatever its status), or why there is no run.
    public let result: Result<RunSummary, any Error>

    /// Creates an outcome.
    public init(scope: ScopeKey?, label: String, result: Result<RunSummary, any Error>) {
        self.scope = scope
        self.label = label
        self.result = result
    }

    /// The outcome of a region whose projects could not be listed.
    public init(_ unlisted: UnlistedRegion) {
        self.init(scope: nil, label: unlisted.label, result: .failure(unlisted.error))
    }

    /// True when the run completed.
    public var isComplete: Bool {
        if case .success(let summary) = result { return summary.status == .complete }
        return false
    }

    /// True when the cloud rejected the scope's credentials (the run, if any, failed for that).
    public var isRejected: Bool {
        switch result {
        case .success(let summary):
            if case .authentication? = summary.failure { return true }
            return false
        case .failure(let error):
            if case .authentication? = error as? ClientError { return true }
            return false
        }
    }

    /// The summary line of this scope: `account/region/project: run … ` or why it has no run.
    public var line: String {
        switch result {
        case .success(let summary): return "\(label): \(summary.line)"
        case .failure(let error): return "\(label): not collected: \(error)"
        }
    }
}

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
