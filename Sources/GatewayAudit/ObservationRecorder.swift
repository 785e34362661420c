import GatewayAuditAnalyse
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore

/// Records observations the way a collection run does: reads what the history holds about each
/// gateway, derives field changes and anomalies (Analyse), then hands the store values to persist.
public struct ObservationRecorder: Sendable {
    let writer: HistoryWriter
    let detector: AnomalyDetector

    /// Creates a recorder writing through `writer`.
    public init(writer: HistoryWriter, detector: AnomalyDetector = AnomalyDetector()) {
        self.writer = writer
        self.detector = detector
    }

    /// Records one batch (each gateway at most once) in one transaction. (The bench times these steps one
    /// by one in `Stages.record(_:in:at:phases:)`: keep the two alike.)
    ///
    /// When a run of another scope (or an import) wrote some of the same resources between the read of their
    /// prior states and this write (both saw one as new, say, on an estate's first night), the store refuses
    /// the batch whole; it is then recorded again from fresh prior states, up to ``conflictAttempts`` times.
    /// - Returns: the outcome of each observation, in order.
    /// - Throws: ``StoreError``; on error nothing of the batch is stored.
    public func record(_ observations: [Observation], in run: ActiveRun) async throws(StoreError)
        -> [ObservationOutcome]
    {
        try await Self.retryingConflicts { () throws(StoreError) in
            try await writer.record(try await writes(for: observations), in: run)
        }
    }

    /// How many times a batch is recorded before a ``StoreError/concurrentWrite(path:detail:)`` is let
    /// through: another run must write the same resources again within each retry's few milliseconds.
    package static let conflictAttempts = 4

    /// Runs `body` (which reads prior states, then writes) again while the store reports a concurrent write
    /// of the same resources, at most ``conflictAttempts`` times in all.
    package static func retryingConflicts<T>(_ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch StoreError.concurrentWrite where attempt < conflictAttempts {
                attempt += 1
            }
        }
    }

    /// The writes for one batch (each gateway at most once): the prior states read through the writer, and
    /// each observation's changes and anomalies. Valid while the run lock of the batch's scope is held.
    /// - Throws: ``StoreError``.
    public func writes(for observations: [Observation]) async throws(StoreError) -> [SnapshotWrite] {
        let priors = try await writer.priorStates(for: observations)
        // By index: observations and prior states are large values, which a zip would copy once more.
        return observations.indices.map { write(for: observations[$0], prior: priors[$0]) }
    }

    /// The write for one observation: changes against the previous present content and anomalies,
    /// computed only when the content is new.
    package func write(for observation: Observation, prior: PriorState) -> SnapshotWrite {
        guard case .present(let current) = observation.result, !prior.isUnchanged(by: observation) else {
            return SnapshotWrite(observation: observation, prior: prior)
        }
        let previous = prior.previousContent
        let changes = previous.map { FieldDiff.changes(from: $0.canonicalContent, to: current.canonicalContent) } ?? []
        let anomalies = detector.anomalies(
            current: current, previous: previous, observedAt: observation.observedAt, changes: changes)
        return SnapshotWrite(observation: observation, prior: prior, changes: changes, anomalies: anomalies)
    }
}

extension HistoryVerifier {
    /// A verifier that recomputes field changes with the collector's own diff (``FieldDiff``).
    public init(_ database: HistoryDatabase) {
        self.init(database, diff: { old, new in FieldDiff.changes(from: old, to: new) })
    }
}
