import GatewayAuditCore

/// A collection run in progress. Holds the database's run lock until ``HistoryWriter/finishRun(_:status:message:at:)``
/// releases it.
public final class ActiveRun: Sendable {
    /// The run's row id.
    public let id: Int64
    /// When it started.
    public let startedAt: Instant
    /// Runs found unfinished (killed) and closed as aborted when this one began.
    public let abortedRuns: [Int64]
    /// The scope the run belongs to.
    public let scope: ScopeKey
    let lock: RunLock?
    let postgresLock: PostgresRunLock?

    init(
        id: Int64, startedAt: Instant, abortedRuns: [Int64], scope: ScopeKey, lock: RunLock?,
        postgresLock: PostgresRunLock? = nil
    ) {
        self.postgresLock = postgresLock
        self.id = id
        self.scope = scope
        self.startedAt = startedAt
        self.abortedRuns = abortedRuns
        self.lock = lock
    }
}
