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

/// What recording a batch's writes one by one gave, for either store.
struct RecordedBatch {
    /// Each write's outcome, in order.
    var outcomes: [ObservationOutcome] = []
    /// The outcomes counted, for the run's record.
    var counts = RunCounts()
    /// The resources the batch's scope pass gives the run's scope: every one but those seen again, whose
    /// scope is set by the last-seen flush's scope pass, and new ones, whose rows are inserted with it.
    var rescoped: [String] = []

    /// Records `writes` in order with `record`. By index: a write is a large value, and a loop variable or
    /// a zip would copy each one (an unchanged night of 10,000 noticed).
    static func recording(_ writes: [SnapshotWrite], _ record: (SnapshotWrite) throws -> ObservationOutcome) rethrows
        -> RecordedBatch
    {
        var batch = RecordedBatch()
        batch.outcomes.reserveCapacity(writes.count)
        for index in writes.indices {
            let outcome = try record(writes[index])
            batch.counts.add(outcome)
            batch.outcomes.append(outcome)
            let inserted = outcome == .new && writes[index].prior.gatewayRow == nil
            if outcome != .unchanged && outcome != .stillGone && !inserted {
                batch.rescoped.append(writes[index].observation.gatewayID.rawValue)
            }
        }
        return batch
    }
}
