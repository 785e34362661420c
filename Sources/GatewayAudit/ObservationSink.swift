import GatewayAuditAnalyse
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore
import Logging

/// Buffers observations and writes them in batches; remembers counts and failures.
struct ObservationSink {
    let recorder: ObservationRecorder
    let run: ActiveRun
    let batchSize: Int
    let logger: Logger
    private(set) var counts = RunCounts()
    private(set) var failures: [FailedGateway] = []
    private var buffer: [Observation] = []
    private var buffered = Set<GatewayID>()

    init(recorder: ObservationRecorder, run: ActiveRun, batchSize: Int, logger: Logger) {
        self.recorder = recorder
        self.run = run
        self.batchSize = batchSize
        self.logger = logger
    }

    var pending: Int { buffer.count }

    /// Adds one observation; a gateway already waiting in the buffer first flushes it, so each batch
    /// holds every gateway at most once.
    mutating func add(_ observation: Observation) async throws(StoreError) {
        if buffered.contains(observation.gatewayID) { try await flush() }
        if case .failed(let reason) = observation.result {
            failures.append(FailedGateway(id: observation.gatewayID, reason: reason))
            logger.warning("could not fetch \(observation.gatewayID): \(reason)")
        }
        buffer.append(observation)
        buffered.insert(observation.gatewayID)
        if buffer.count >= batchSize { try await flush() }
    }

    mutating func flush() async throws(StoreError) {
        guard !buffer.isEmpty else { return }
        let batch = buffer
        let (recorder, run) = (recorder, run)
        // Fetched observations are stored even when the run is being cancelled.
        let outcomes = try await Uncancelled.run { () throws(StoreError) in try await recorder.record(batch, in: run) }
        for (observation, outcome) in zip(buffer, outcomes) {
            counts.add(outcome)
            if outcome != .unchanged && outcome != .failed {
                logger.info("\(observation.gatewayID): \(outcome.rawValue)")
            }
        }
        buffer.removeAll(keepingCapacity: true)
        buffered.removeAll(keepingCapacity: true)
    }
}
