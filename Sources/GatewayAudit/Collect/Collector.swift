import Foundation
import Logging

/// One collection run: fetches gateways with bounded concurrency and records every observation in
/// the store in batches as they arrive. A 401/403 stops the run at once; a failure of one gateway
/// is recorded as a failed observation, never as "gone".
public struct Collector: Sendable {
    let client: VPNClient
    let store: SQLiteStore
    let options: CollectorOptions
    let logger: Logger
    let clock: any Clock<Duration>
    let progress: @Sendable (CollectionProgress) -> Void

    /// Creates a collector.
    /// - Parameter clock: what the rate limiter waits on and the run's duration is measured on.
    public init(
        client: VPNClient, store: SQLiteStore, options: CollectorOptions = CollectorOptions(),
        logger: Logger = Logger(label: "gateway-audit.collect"), clock: any Clock<Duration> = ContinuousClock(),
        progress: @escaping @Sendable (CollectionProgress) -> Void = { _ in }
    ) {
        self.client = client
        self.store = store
        self.options = options
        self.logger = logger
        self.clock = clock
        self.progress = progress
    }

    /// Runs one collection and returns its summary; the run is recorded whatever happens.
    /// - Throws: ``StoreError`` (database unusable or locked). Client failures are in the summary.
    public func run() async throws(StoreError) -> RunSummary {
        let started = Stopwatch(clock: clock)
        let run = try store.beginRun(
            RunInfo(endpoint: client.endpoint.absoluteString, projectID: client.projectID,
                scope: options.ids == nil ? "all" : "ids"), at: client.time.now, lockWait: options.lockWait.inSeconds)
        for aborted in run.abortedRuns {
            logger.warning("closed run \(aborted) as aborted: its process ended before finishing")
        }
        var sink = ObservationSink(store: store, run: run, batchSize: options.batchSize, logger: logger)
        var failure: ClientError?
        do {
            try await collect(into: &sink)
        } catch let error as ClientError {
            failure = error
            logger.notice("run stopped: \(error)")
        } catch let error as StoreError {
            _ = try? store.finishRun(run, status: .failed, message: error.description)
            throw error
        } catch is CancellationError {
            failure = .cancelled
            logger.notice("run stopped: \(ClientError.cancelled)")
        } catch {
            failure = .transport(.connection("\(error)"), attempts: 0)
        }
        try sink.flush()
        let counts = sink.counts
        let status: RunStatus = failure != nil ? .failed : counts.failed > 0 ? .partial : .complete
        let head = try store.finishRun(run, status: status, message: failure?.description, at: client.time.now)
        return RunSummary(
            runID: run.id, status: status, counts: counts, duration: started.elapsed,
            abortedRuns: run.abortedRuns, failure: failure, failures: sink.failures, chainHead: head)
    }

    private func collect(into sink: inout ObservationSink) async throws {
        let limiter = options.requestsPerSecond.map { RateLimiter(perSecond: $0, clock: clock) }
        guard options.ids == nil else {
            try await fetch(options.ids ?? [], into: &sink, limiter: limiter, total: options.ids?.count ?? 0)
            return
        }
        try await limiter?.acquire()
        let listed = try await client.allGateways()
        let at = client.time.now
        let listedIDs = Set(listed.map(\.id))
        // Gateways present last time but missing from the list are confirmed one by one, so a short
        // listing never records a gateway as gone. They go first, so that a gateway recreated under a
        // new id in the same night links to its gone predecessor.
        let missing = try store.gateways().filter { $0.state == .present && !listedIDs.contains($0.gatewayID) }.map(\.gatewayID)
        logger.info("listed \(listed.count) gateways; \(missing.count) missing from the list to confirm by id")
        let total = listed.count + missing.count
        report(sink, total: total)
        try await fetch(missing, into: &sink, limiter: limiter, total: total)
        for gateway in listed {
            try sink.add(.present(gateway, at: at))
            report(sink, total: total)
        }
    }

    /// Fetches `ids` by id (`total` is what the progress bar counts to).
    private func fetch(_ ids: [GatewayID], into sink: inout ObservationSink, limiter: RateLimiter?, total: Int)
        async throws
    {
        guard let firstID = ids.first else { return }
        // The first request goes alone: rejected credentials then cost one 401, not one per
        // connection (more than 5 failures lock an access key for 5 minutes).
        try await limiter?.acquire()
        try sink.add(try await observe(firstID))
        report(sink, total: total)
        try await withThrowingTaskGroup(of: Observation.self) { group in
            var iterator = ids.dropFirst().makeIterator()
            func startNext() -> Bool {
                guard let id = iterator.next() else { return false }
                group.addTask {
                    try await limiter?.acquire()
                    return try await observe(id)
                }
                return true
            }
            for _ in 0..<options.concurrency where !startNext() { break }
            do {
                while let observation = try await group.next() {
                    try sink.add(observation)
                    report(sink, total: total)
                    _ = startNext()
                }
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

extension Collector {
    /// Tells the progress callback how far the run is.
    func report(_ sink: ObservationSink, total: Int) {
        progress(CollectionProgress(done: sink.counts.observed + sink.pending, total: total, failed: sink.failures.count))
    }

    /// Fetches one gateway as an observation; a failure that does not stop the run becomes a failed one.
    func observe(_ id: GatewayID) async throws(ClientError) -> Observation {
        let fetched: GatewayFetch
        do {
            fetched = try await client.gateway(id)
        } catch {
            if error.stopsRun { throw error }
            return Observation(gatewayID: id, observedAt: client.time.now, result: .failed(error.description))
        }
        switch fetched {
        case .present(let gateway):
            return Observation(gatewayID: id, observedAt: client.time.now, result: .present(gateway))
        case .gone:
            return Observation(gatewayID: id, observedAt: client.time.now, result: .gone)
        }
    }
}

/// Buffers observations and writes them in batches; remembers counts and failures.
struct ObservationSink {
    let store: SQLiteStore
    let run: ActiveRun
    let batchSize: Int
    let logger: Logger
    private(set) var counts = RunCounts()
    private(set) var failures: [FailedGateway] = []
    private var buffer: [Observation] = []

    init(store: SQLiteStore, run: ActiveRun, batchSize: Int, logger: Logger) {
        self.store = store
        self.run = run
        self.batchSize = batchSize
        self.logger = logger
    }

    var pending: Int { buffer.count }

    mutating func add(_ observation: Observation) throws(StoreError) {
        if case .failed(let reason) = observation.result {
            failures.append(FailedGateway(id: observation.gatewayID, reason: reason))
            logger.warning("could not fetch \(observation.gatewayID): \(reason)")
        }
        buffer.append(observation)
        if buffer.count >= batchSize { try flush() }
    }

    mutating func flush() throws(StoreError) {
        guard !buffer.isEmpty else { return }
        let outcomes = try store.record(buffer, in: run)
        for (observation, outcome) in zip(buffer, outcomes) {
            counts.add(outcome)
            if outcome != .unchanged && outcome != .failed {
                logger.info("\(observation.gatewayID): \(outcome.rawValue)")
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
