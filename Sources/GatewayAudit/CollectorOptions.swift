import GatewayAuditAnalyse
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore

/// How a collection run fetches.
public struct CollectorOptions: Sendable {
    /// The resources to fetch by id; nil lists the whole project.
    public var ids: [GatewayID]?
    /// The kinds to collect (all by default), in this order.
    public var kinds: [ResourceKind]
    /// Requests in flight at once.
    public var concurrency: Int
    /// A ceiling on requests per second (nil: none).
    public var requestsPerSecond: Double?
    /// Observations per database transaction.
    public var batchSize: Int
    /// Seconds the run may wait for another run's lock.
    public var lockWait: Duration
    /// The list's first `limit` (1 to 200; the listing widens it when a page brings nothing new).
    public var pageSize: Int
    /// The scope the run belongs to; nil for a single-scope run (cloud and region from the endpoint).
    public var scope: ScopeKey?
    /// A limiter shared with other runs against the same endpoint (the estate); it replaces
    /// ``requestsPerSecond`` when set.
    public var rateLimiter: RateLimiter?

    /// Creates options (defaults: whole project, 8 at once, no rate ceiling, batches of 100, 60 s lock
    /// wait, pages of 200).
    public init(
        ids: [GatewayID]? = nil, concurrency: Int = 8, requestsPerSecond: Double? = nil, batchSize: Int = 100,
        lockWait: Duration = .seconds(60), pageSize: Int = 200, kinds: [ResourceKind] = ResourceKind.allCases
    ) {
        self.ids = ids
        self.kinds = kinds.isEmpty ? ResourceKind.allCases : ResourceKind.allCases.filter(kinds.contains)
        self.concurrency = max(1, concurrency)
        self.requestsPerSecond = requestsPerSecond
        self.batchSize = max(1, batchSize)
        self.lockWait = lockWait
        self.pageSize = min(max(1, pageSize), 200)
    }
}

/// Progress of a run, for a progress bar.
public struct CollectionProgress: Sendable, Hashable {
    /// Observations done so far.
    public let done: Int
    /// Observations planned (known after listing).
    public let total: Int
    /// Failed so far.
    public let failed: Int
}

/// The result of one collection run.
public struct RunSummary: Sendable, Hashable {
    /// The run's id in the database.
    public let runID: Int64
    /// How it ended.
    public let status: RunStatus
    /// Counts by outcome.
    public let counts: RunCounts
    /// How long the run took, on the collector's clock.
    public let duration: Duration
    /// Earlier runs found killed and closed as aborted.
    public let abortedRuns: [Int64]
    /// Why the run failed, when it did.
    public let failure: ClientError?
    /// Per-gateway failures (id and reason), for the log.
    public let failures: [FailedGateway]
    /// The history's chain head after the run: printed so that cron mail anchors it outside the database.
    public let chainHead: String
    /// Why the listing stopped short of the end of the list, or which kinds were skipped (then the
    /// run is partial); nil otherwise.
    public let incompleteListing: String?
    /// Kinds whose listing the API refused with 403 (skipped this run).
    public var skippedKinds: [ResourceKind] = []

    /// One summary line for cron mail.
    public var line: String {
        "run \(runID) \(status.rawValue): \(counts.observed) observed, \(counts.unchanged) unchanged, "
            + "\(counts.changed) changed, \(counts.new) new, \(counts.gone) gone, \(counts.failed) failed in "
            + String(format: "%.1f", duration.seconds) + " s; chain head \(chainHead)"
    }
}

/// A gateway the run could not fetch.
public struct FailedGateway: Sendable, Hashable {
    /// The gateway.
    public let id: GatewayID
    /// The reason, free of secrets.
    public let reason: String
}
