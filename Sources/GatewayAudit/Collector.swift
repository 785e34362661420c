import Foundation
import GatewayAuditAnalyse
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore
import Logging

/// One collection run: fetches resources of every kind asked for with bounded concurrency and records every observation in
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
                scope: options.ids == nil ? .all : .ids, scopeKey: options.scope, kinds: options.kinds),
            at: client.time.now,
            lockWait: options.lockWait)
        for aborted in run.abortedRuns {
            logger.warning("closed run \(aborted) as aborted: its process ended before finishing")
        }
        var sink = ObservationSink(
            recorder: ObservationRecorder(writer: writer), run: run, batchSize: options.batchSize, logger: logger)
        var failure: ClientError?
        var incompleteListing: String?
        var skipped: [ResourceKind] = []
        var storeError: StoreError?
        do {
            let listed = try await collect(into: &sink, run: run)
            incompleteListing = listed.reasons.isEmpty ? nil : listed.reasons.joined(separator: "; ")
            skipped = listed.skipped
        } catch let error as ClientError {
            failure = error
            logger.notice("run stopped: \(error)")
        } catch let error as StoreError {
            storeError = error
        } catch is CancellationError {
            failure = .cancelled
            logger.notice("run stopped: \(ClientError.cancelled)")
        } catch {
            failure = .transport(.connection("\(error)"), attempts: 0)
        }
        // No write may still run when the run is closed; what was fetched is stored if it can be. The last
        // batches' writes end here (a batch's error comes out when the next write waits for it), so a store
        // error from the collection or from them closes the run as failed with its reason.
        do {
            try await sink.flush()
        } catch {
            storeError = storeError ?? error
        }
        if let storeError {
            await closeAfterStoreError(run, writer: writer, error: storeError)
            throw storeError
        }
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
            incompleteListing: incompleteListing, skippedKinds: skipped)
    }

    /// Collects into `sink`; returns why the run is partial (incomplete listings, skipped kinds) and
    /// which kinds were skipped (empty when complete, or when fetching by id).
    private func collect(into sink: inout ObservationSink, run: ActiveRun) async throws
        -> (reasons: [String], skipped: [ResourceKind])
    {
        let limiter = options.rateLimiter ?? options.requestsPerSecond.map { RateLimiter(perSecond: $0, clock: clock) }
        // Only this run's scope: another project's resources are never confirmed (or recorded gone) here.
        let known = try await HistoryQueries(database).knownResources(in: run.scope)
        guard let ids = options.ids else { return try await collectListed(into: &sink, known: known, limiter: limiter) }
        let kinds = Self.recordedKinds(known)
        // An id the history does not know, with several kinds asked for, is looked up as each of them in
        // turn (customer gateway first) until one answers: never recorded under a kind it is not.
        let guesses = options.kinds.count == 1 ? options.kinds : ResourceKind.allCases.filter(options.kinds.contains)
        var reasons: [String] = []
        let targets = ids.compactMap { id -> Target? in
            if let kind = kinds[id] {
                if options.kinds.contains(kind) { return Target(kind: kind, id: id) }
                // An id asked for and not fetched makes the run partial, with the reason (the one stderr line
                // of a quiet run): a mistaken `--kind` is never a silent no-op.
                let reason =
                    "skipped \(id): it is recorded as a \(kind.noun), a kind --kind left out; "
                    + "add --kind \(kind.rawValue) to fetch it"
                logger.notice("\(reason)")
                reasons.append(reason)
                return nil
            }
            return guesses.first.map {
                Target(kind: $0, id: id, alternatives: Array(guesses.dropFirst()), unseen: true)
            }
        }
        try await fetch(
            targets, into: &sink, limiter: limiter, total: targets.count, firstAlone: client.rejectionsLockCredentials)
        return (reasons, [])
    }

    /// Lists every kind asked for, confirms by id what went missing from a list, and records it all.
    private func collectListed(into sink: inout ObservationSink, known: [KnownResource], limiter: RateLimiter?)
        async throws -> (reasons: [String], skipped: [ResourceKind])
    {
        var reasons: [String] = []
        var skipped: [ResourceKind] = []
        var refusal: ClientError?
        var listed: [Resource] = []
        var missing: [Target] = []
        for kind in options.kinds {
            try await limiter?.acquire()
            let listing: ResourceListing
            switch await list(kind) {
            case .success(let value):
                listing = value
            case .failure(let error):
                guard let line = Self.skipLine(kind, error), options.kinds.count > 1 else { throw error }
                // The IAM user may lack the permission for one kind: the others are still collected. The
                // line is the run's partial message (the one stderr line at exit); logged at notice.
                logger.notice("\(line)")
                reasons.append(line)
                skipped.append(kind)
                refusal = refusal ?? error
                continue
            }
            if let reason = listing.incompleteReason {
                logger.notice("\(reason)")
                reasons.append(reason)
            }
            let listedIDs = Set(listing.resources.map(\.id))
            // Resources present last time but missing from the list are confirmed one by one, so a short
            // listing never records one as gone.
            let gap = known.filter { $0.kind == kind && $0.state == .present && !listedIDs.contains($0.gatewayID) }
            logger.info(
                "listed \(listing.resources.count) \(kind.noun)s; \(gap.count) missing from the list to confirm by id")
            listed += listing.resources
            missing += gap.map { Target(kind: kind, id: $0.gatewayID) }
        }
        if skipped.count == options.kinds.count, let refusal { throw refusal }
        let at = client.time.now
        let total = listed.count + missing.count
        report(sink, total: total)
        // Missing ones go first, so that a resource recreated under a new id in the same night links
        // to its gone predecessor. A list was answered, so the credentials are good: the confirmations
        // all start at once.
        try await fetch(missing, into: &sink, limiter: limiter, total: total, firstAlone: false)
        // An id the history holds as another kind (a departure an earlier release recorded for an id looked
        // up as the wrong kind) cannot take this one: every snapshot's chain covers its kind. It is a failed
        // observation, named, and the rest of the night is stored.
        let recorded = Self.recordedKinds(known)
        for resource in listed {
            if let kind = recorded[resource.id], kind != resource.kind {
                let reason =
                    "listed as a \(resource.kind.noun), but this history records the id as a \(kind.noun); "
                    + "its history is kept as it is and nothing is stored under a second kind"
                try await sink.add(
                    Observation(gatewayID: resource.id, kind: kind, observedAt: at, result: .failed(reason)))
            } else {
                try await sink.add(.present(resource, at: at))
            }
            report(sink, total: total)
        }
        return (reasons, skipped)
    }

    /// Fetches `ids` by id (`total` is what the progress bar counts to).
    ///
    /// With `firstAlone` the first request goes alone: rejected credentials then cost one request. The
    /// collector asks for it when rejections count against the credentials and nothing has proved them
    /// yet: a wrong access key costs one 401, not one per connection (more than 5 lock it for 5 minutes),
    /// and a wrong password one IAM login (a request waiting behind a rate limit could otherwise start a
    /// second). A fixed token's 401s lock nothing, and an answered list has proved any credentials: those
    /// runs start every connection at once instead of paying one round trip more.
    private func fetch(
        _ ids: [Target], into sink: inout ObservationSink, limiter: RateLimiter?, total: Int, firstAlone: Bool
    ) async throws {
        var queue = ids[...]
        if firstAlone, let first = queue.popFirst() {
            try await limiter?.acquire()
            try await sink.add(try await observe(first))
            report(sink, total: total)
        }
        try await withThrowingTaskGroup(of: Observation.self) { group in
            var iterator = queue.makeIterator()
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

    /// Fetches one resource as an observation; a failure that does not stop the run becomes a failed one.
    func observe(_ target: Target) async throws(ClientError) -> Observation {
        let fetched: ResourceFetch
        do {
            fetched = try await client.resource(target.kind, target.id)
        } catch {
            if error.stopsRun { throw error }
            return Observation(
                gatewayID: target.id, kind: target.kind, observedAt: client.time.now,
                result: .failed(error.description))
        }
        switch fetched {
        case .present(let resource):
            return Observation(gatewayID: target.id, observedAt: client.time.now, result: .present(resource))
        case .gone where target.unseen:
            return try await probe(target)
        case .gone:
            return Observation(gatewayID: target.id, kind: target.kind, observedAt: client.time.now, result: .gone)
        }
    }

    /// A 404 for an id the history does not know: asks the other kinds in turn. The first that answers
    /// wins; if none does, the lookup failed: an id no run has seen is never recorded as gone (a mistyped
    /// id would stay in the history as a resource that once existed), it is a failed observation that
    /// says so, and the run is partial.
    private func probe(_ target: Target) async throws(ClientError) -> Observation {
        var failure: ClientError?
        for kind in target.alternatives {
            do {
                if case .present(let resource) = try await client.resource(kind, target.id) {
                    return Observation(gatewayID: target.id, observedAt: client.time.now, result: .present(resource))
                }
            } catch {
                if error.stopsRun { throw error }
                failure = failure ?? error
            }
        }
        let reason = failure?.description ?? Self.notFound(target, projectID: client.projectID)
        return Observation(
            gatewayID: target.id, kind: target.kind, observedAt: client.time.now, result: .failed(reason))
    }

    /// The kind of each resource the history has a snapshot of. A row with only failed lookups holds a
    /// guessed kind, so it is left out: its id is still looked up as every kind, and a listing may give it
    /// the kind it turns out to have.
    static func recordedKinds(_ known: [KnownResource]) -> [GatewayID: ResourceKind] {
        Dictionary(
            known.compactMap { $0.state == nil ? nil : ($0.gatewayID, $0.kind) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The reason recorded for an id that answered 404 as every kind asked and that no run has seen.
    static func notFound(_ target: Target, projectID: String) -> String {
        let nouns = ([target.kind] + target.alternatives).map(\.noun)
        let named =
            nouns.count == 1 ? nouns[0] : nouns.dropLast().joined(separator: ", ") + " or " + nouns[nouns.count - 1]
        return "not found: no \(named) has this id in project \(projectID) (HTTP 404); check the id: an id is "
            + "recorded as gone only once a run has seen it"
    }

    private func list(_ kind: ResourceKind) async -> Result<ResourceListing, ClientError> {
        do {
            return .success(try await client.listResources(kind, pageSize: options.pageSize))
        } catch {
            return .failure(error)
        }
    }

    /// The line for a kind skipped because its list was refused with 403; nil for any other error.
    static func skipLine(_ kind: ResourceKind, _ error: ClientError) -> String? {
        guard case .authentication(403, let code, _, _, _) = error else { return nil }
        return "skipped \(kind.noun)s this run: the API refused their list with 403" + (code.map { " (\($0))" } ?? "")
            + "; grant the IAM user read access to \(kind.noun)s (VPN read-only policy), or leave them out with --kind"
    }

    /// A resource to fetch by id.
    struct Target: Sendable {
        let kind: ResourceKind
        let id: GatewayID
        /// The kinds to try next when `kind` answers 404 for an id the history does not know yet.
        var alternatives: [ResourceKind] = []
        /// No run has seen the id: a 404 as every kind is a failed lookup, not a departure.
        var unseen = false
    }
}
