import GatewayAuditCore

/// One observation ready to be persisted, with what was derived from it before the write: the field
/// changes against the previous present content and the anomalies found. The store persists these
/// values as given; it never computes diffs or anomalies itself.
public struct SnapshotWrite: Sendable, Hashable {
    /// What the run learned.
    public let observation: Observation
    /// The history before it, as read by ``HistoryWriter/priorStates(for:)``.
    public let prior: PriorState
    /// Field changes from the previous present content (empty for a first or unchanged observation).
    public let changes: [FieldChange]
    /// Anomalies of the new content (empty when nothing new is stored).
    public let anomalies: [TimestampAnomaly]

    /// Creates a write.
    public init(
        observation: Observation, prior: PriorState, changes: [FieldChange] = [], anomalies: [TimestampAnomaly] = []
    ) {
        self.observation = observation
        self.prior = prior
        self.changes = changes
        self.anomalies = anomalies
    }
}
