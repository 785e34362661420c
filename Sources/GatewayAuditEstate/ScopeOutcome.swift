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
    public var isRejected: Bool { rejection != nil }

    /// The cloud's rejection of the scope's credentials, if that is how it ended.
    var rejection: ClientError? {
        let error: ClientError?
        switch result {
        case .success(let summary): error = summary.failure
        case .failure(let failure): error = failure as? ClientError
        }
        if case .authentication? = error { return error }
        return nil
    }

    /// The summary line of this scope: `account/region/project: run … ` or why it has no run.
    public var line: String {
        switch result {
        case .success(let summary): return "\(label): \(summary.line)"
        case .failure(let error): return "\(label): not collected: \(error)"
        }
    }
}
