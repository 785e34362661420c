import GatewayAuditCore

/// One collection run as recorded.
public struct RunRecord: Sendable, Hashable {
    /// The run id.
    public let id: Int64
    /// Start.
    public let startedAt: Instant
    /// End; nil while running or when the process died.
    public let finishedAt: Instant?
    /// Outcome.
    public let status: RunStatus
    /// The API endpoint.
    public let endpoint: String
    /// The project.
    public let projectID: String
    /// What the run set out to observe.
    public let scope: RunScope
    /// The tool version that ran it.
    public let toolVersion: String
    /// Observation counts of the committed batches.
    public let counts: RunCounts
    /// Why it failed or was aborted.
    public let message: String?
    /// The account, cloud, region and project it belongs to.
    public var scopeKey = ScopeKey(projectID: "")
}
