/// One known gateway: its state now and how much history there is.
public struct GatewaySummary: Sendable, Hashable {
    /// The gateway.
    public let gatewayID: GatewayID
    /// The latest snapshot's state; nil when every fetch of it failed.
    public let state: SnapshotState?
    /// The latest known name.
    public let name: String?
    /// First observation.
    public let firstSeen: Instant?
    /// Latest observation.
    public let lastSeen: Instant?
    /// Stored snapshots (tombstones included).
    public let snapshotCount: Int
    /// Observations that failed.
    public let failedCount: Int
}

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
    /// `all` or `ids`.
    public let scope: String
    /// The tool version that ran it.
    public let toolVersion: String
    /// Observation counts of the committed batches.
    public let counts: RunCounts
    /// Why it failed or was aborted.
    public let message: String?
}

/// A failed observation: the run tried to fetch the gateway and could not.
public struct FailedObservation: Sendable, Hashable {
    /// The gateway.
    public let gatewayID: GatewayID
    /// The run.
    public let run: Int64
    /// When it was tried.
    public let observedAt: Instant
    /// Why it failed.
    public let error: String
}
