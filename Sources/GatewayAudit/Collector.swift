import Foundation
import GatewayAuditAnalyse
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore
import Logging

/// One collection run: fetches gateways with bounded concurrency and records every observation in
/// the store in batches as they arrive. A 401/403 stops the run at once; a failure of one gateway
/// is recorded as a failed observation, never as "gone".
public struct Collector: Sendable {
    let client: VPNClient
    let database: HistoryDatabase
    let options: CollectorOptions
    let logger: Logger
    let clock: any Clock<Duration>
    let progress: @Sendable (CollectionProgress) -> Void

    /// Creates a collector.
    /// - Parameter clock: what the rate limiter waits on and the run's duration is measured on.
    public init(
        client: VPNClient, database: HistoryDatabase, options: CollectorOptions = CollectorOptions(),
        logger: Logger = Logger(label: "gateway-audit.collect"), clock: any Clock<Duration> = ContinuousClock(),
        progress: @escaping @Sendable (CollectionProgress) -> Void = { _ in }
    ) {
        self.client = client
        self.database = database
        self.options = options
        self.logger = logger
        self.clock = clock
        self.progress = progress
    }

    /// Runs one collection and returns its summary; the run is recorded whatever happens.
    /// - Throws: ``StoreError`` (database unusable or locked). Client failures are in the summary.
    public func run() async throws(StoreError) -> RunSummary {
        let started = Stopwatch(clock: clock)
        let writer = HistoryWriter(database)
        let run = try await writer.beginRun(
            RunInfo(
                endpoint: client.endpoint.absoluteString, projectID: client.projectID,
                scope: options.ids == nil ? .all : .ids, scopeKey: options.scope), at: client.time.now,
            lockWait: options.lockWait)
        for aborted in run.abortedRuns {
            logger.warning("closed run \(aborted) as aborted: its process ended before finishing")
        }
        var sink = ObservationSink(
            recorder: ObservationRecorder(writer: writer), run: run, batchSize: options.batchSize, logger: logger)
        var failure: ClientError?
        var incompleteListing: String?
        do {
            incompleteListing = try await collect(into: &sink, run: run)
        } catch let error as ClientError {
            failure = error
            logger.notice("run stopped: \(error)")
        } catch let error as StoreError {
            await closeAfterStoreError(run, writer: writer, error: error)
            throw error
        } catch is CancellationError {
            failure = .cancelled
            logger.notice("run stopped: \(ClientError.cancelled)")
        } catch {
            failure = .transport(.connection("\(error)"), attempts: 0)
        }
        try await sink.flush()
        let counts = sink.counts
        let status: RunStatus =
            failure != nil ? .failed : counts.failed > 0 || incompleteListing != nil ? .partial : .complete
        let message = failure?.description ?? incompleteListing
        let finishedAt = client.time.now
        let head = try await Uncancelled.run { () throws(StoreError) in
            try await writer.finishRun(run, status: status, message: message, at: finishedAt)
        }
        return RunSummary(
            runID: run.id, status: status, counts: counts, duration: started.elapsed,
            abortedRuns: run.abortedRuns, failure: failure, failures: sink.failures, chainHead: head,
            incompleteListing: incompleteListing)
    }

    /// Collects into `sink`; returns why the listing is incomplete, nil when it is complete (or not used).
    private func collect(into sink: inout ObservationSink, run: ActiveRun) async throws -> String? {
        let limiter = options.rateLimiter ?? options.requestsPerSecond.map { RateLimiter(perSecond: $0, clock: clock) }
        guard options.ids == nil else {
            try await fetch(options.ids ?? [], into: &sink, limiter: limiter, total: options.ids?.count ?? 0)
            return nil
        }
        try await limiter?.acquire()
        let listing = try await client.listGateways(pageSize: options.pageSize)
        if let reason = listing.incompleteReason { logger.notice("\(reason)") }
        let listed = listing.gateways
        let at = client.time.now
        let listedIDs = Set(listed.map(\.id))
        // Gateways present last time but missing from the list are confirmed one by one, so a short
        // listing never records a gateway as gone. They go first, so that a gateway recreated under a
        // new id in the same night links to its gone predecessor.
        let missing = try await HistoryQueries(database).knownGateways(in: run.scope).filter {
            $0.state == .present && !listedIDs.contains($0.gatewayID)
        }.map(\.gatewayID)
        logger.info("listed \(listed.count) gateways; \(missing.count) missing from the list to confirm by id")
        let total = listed.count + missing.count
        report(sink, total: total)
        try await fetch(missing, into: &sink, limiter: limiter, total: total)
        for gateway in listed {
            try await sink.add(.present(gateway, at: at))
            report(sink, total: total)
        }
        return listing.incompleteReason
    }

    /// Fetches `ids` by id (`total` is what the progress bar counts to).
    private func fetch(_ ids: [GatewayID], into sink: inout ObservationSink, limiter: RateLimiter?, total: Int)
        async throws
    {
        guard let firstID = ids.first else { return }
        // The first request goes alone: rejected credentials then cost one 401, not one per
        // connection (more than 5 failures lock an access key for 5 minutes).
        try await limiter?.acquire()
        try await sink.add(try await observe(firstID))
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
                    try await sink.add(observation)
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
    /// Closes a run after a store error as `failed`, if the database still takes the write; when it
    /// does not, the next run closes it as `aborted` (the run stays visibly unfinished meanwhile).
    func closeAfterStoreError(_ run: ActiveRun, writer: HistoryWriter, error: StoreError) async {
        do {
            _ = try await Uncancelled.run { () throws(StoreError) in
                try await writer.finishRun(run, status: .failed, message: error.description)
            }
        } catch let closing {
            logger.error(
                "could not close run as failed; the next run will close it as aborted",
                metadata: ["run": "\(run.id)", "error": "\(closing)"])
        }
    }

    /// Tells the progress callback how far the run is.
    func report(_ sink: ObservationSink, total: Int) {
        progress(
            CollectionProgress(done: sink.counts.observed + sink.pending, total: total, failed: sink.failures.count))
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
