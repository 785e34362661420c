/// How a collection run ended.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Still going, or killed before it could finish (shown until the next run closes it).
    case running
    /// Every gateway was observed.
    case complete
    /// Some gateways failed; all others were stored.
    case partial
    /// The run stopped early (authentication rejected, listing failed, deadline).
    case failed
    /// The process died mid-run; closed by the next run.
    case aborted
}

/// What a new run records about itself.
public struct RunInfo: Sendable, Hashable {
    /// The API endpoint (no credentials).
    public var endpoint: String
    /// The project id.
    public var projectID: String
    /// `all` for a whole-project listing, or `ids` for an explicit list.
    public var scope: String
    /// The tool version.
    public var toolVersion: String

    /// Creates run metadata.
    public init(endpoint: String, projectID: String, scope: String, toolVersion: String = GatewayAuditVersion.current) {
        self.endpoint = endpoint
        self.projectID = projectID
        self.scope = scope
        self.toolVersion = toolVersion
    }
}

/// Counts of a run's observations by outcome.
public struct RunCounts: Sendable, Hashable, Codable {
    public var observed = 0
    public var unchanged = 0
    public var changed = 0
    public var new = 0
    public var gone = 0
    public var failed = 0

    /// Zero counts.
    public init() {}

    /// Adds one outcome.
    public mutating func add(_ outcome: ObservationOutcome) {
        observed += 1
        switch outcome {
        case .new: new += 1
        case .unchanged, .stillGone: unchanged += 1
        case .changed, .reappeared: changed += 1
        case .gone: gone += 1
        case .failed: failed += 1
        }
    }
}

/// A collection run in progress. Holds the database's run lock until finished or released.
public final class ActiveRun: Sendable {
    /// The run's row id.
    public let id: Int64
    /// When it started.
    public let startedAt: Instant
    /// Runs found unfinished (killed) and closed as aborted when this one began.
    public let abortedRuns: [Int64]
    let lock: RunLock

    init(id: Int64, startedAt: Instant, abortedRuns: [Int64], lock: RunLock) {
        self.id = id
        self.startedAt = startedAt
        self.abortedRuns = abortedRuns
        self.lock = lock
    }
}
