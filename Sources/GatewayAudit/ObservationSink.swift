import GatewayAuditAnalyse
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore
import Logging

/// Buffers observations and writes them in batches; remembers counts and failures.
///
/// A full batch is written while the next one fills: the collector keeps its requests in flight
/// instead of waiting for each transaction's fsync. At most one batch is being written at a time, in
/// order, so a gateway's observations are still recorded in the order they came.
struct ObservationSink {
    let recorder: ObservationRecorder
    let run: ActiveRun
    let batchSize: Int
    let logger: Logger
    private(set) var counts = RunCounts()
    private(set) var failures: [FailedGateway] = []
    private var buffer: [Observation] = []
    private var buffered = Set<GatewayID>()
    /// The batch being written, and the write.
    private var writing: (batch: [Observation], task: Task<Result<[ObservationOutcome], StoreError>, Never>)?

    init(recorder: ObservationRecorder, run: ActiveRun, batchSize: Int, logger: Logger) {
        self.recorder = recorder
        self.run = run
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Observations added but not yet counted: buffered, or in the batch being written.
    var pending: Int { buffer.count + (writing?.batch.count ?? 0) }

    /// Adds one observation; a gateway already waiting in the buffer first flushes it, so each batch
    /// holds every gateway at most once. A full buffer starts its write once the previous one is done.
    /// - Throws: ``StoreError`` from this batch's write or the previous one's.
    mutating func add(_ observation: Observation) async throws(StoreError) {
        if buffered.contains(observation.gatewayID) { try await flush() }
        if case .failed(let reason) = observation.result {
            failures.append(FailedGateway(id: observation.gatewayID, reason: reason))
            logger.warning("could not fetch \(observation.gatewayID): \(reason)")
        }
        buffer.append(observation)
        buffered.insert(observation.gatewayID)
        if buffer.count >= batchSize {
            try await settle()
            startWrite()
        }
    }

    /// Writes everything added so far and waits until it is stored.
    /// - Throws: ``StoreError``; on error the failed batch is not stored.
    mutating func flush() async throws(StoreError) {
        try await settle()
        startWrite()
        try await settle()
    }

    /// Starts writing the buffer in a task of its own, which the run's cancellation does not reach:
    /// fetched observations are stored even when the run is being cancelled.
    private mutating func startWrite() {
        guard !buffer.isEmpty else { return }
        let (batch, recorder, run) = (buffer, recorder, run)
        let task = Task { () async -> Result<[ObservationOutcome], StoreError> in
            do throws(StoreError) {
                return .success(try await recorder.record(batch, in: run))
            } catch {
                return .failure(error)
            }
        }
        writing = (batch, task)
        buffer.removeAll(keepingCapacity: true)
        buffered.removeAll(keepingCapacity: true)
    }

    /// Waits for the batch being written, if any, and counts its outcomes.
    private mutating func settle() async throws(StoreError) {
        guard let (batch, task) = writing else { return }
        writing = nil
        let outcomes = try await task.value.get()
        for (observation, outcome) in zip(batch, outcomes) {
            counts.add(outcome)
            if outcome != .unchanged && outcome != .failed {
                logger.info("\(observation.gatewayID): \(outcome.rawValue)")
            }
        }
    }
}
