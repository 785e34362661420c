import Foundation
import GatewayAudit
import GatewayAuditCore
import GatewayAuditMetrics
import Logging

/// Tells the outside world how a run ended, in this order: the metrics file, the notification (only
/// when there is news), then the heartbeat's end ping. Nothing here changes the run's outcome or exit
/// code: a failure is logged (URLs redacted) and the next step still happens.
public struct RunPublisher: Sendable {
    let databasePath: String
    let metricsFile: MetricsFile?
    let notifier: Notifier?
    /// The heartbeat, to ping `/start` before the run.
    public let heartbeat: Heartbeat?
    let logger: Logger

    /// Creates a publisher; each of metrics, notifier and heartbeat is optional.
    public init(
        databasePath: String, metricsFile: MetricsFile?, notifier: Notifier?, heartbeat: Heartbeat?, logger: Logger
    ) {
        self.databasePath = databasePath
        self.metricsFile = metricsFile
        self.notifier = notifier
        self.heartbeat = heartbeat
        self.logger = logger
    }

    /// Publishes `outcome`; returns it with the run's anomaly count filled in from the database.
    @discardableResult
    public func publish(_ outcome: RunOutcome) async -> RunOutcome {
        let published = await publish(scopes: [outcome]).first ?? outcome
        await heartbeat?.finish(exitCode: published.exitCode, body: published.line)
        return published
    }

    /// Publishes the outcomes of an estate night (or of one run): every scope's series in the one metrics
    /// file, then each scope's notification (only those with news), in order. The heartbeat is the
    /// caller's: an estate pings once for the whole night. `notifying`, when given, is what the notifications
    /// tell instead (a night that failed before any scope: one message, not one per series it fails).
    /// The file's series of scopes `retiring` names are dropped (``MetricsFile/write(_:retiring:)``).
    /// Returns the outcomes with their anomaly counts.
    @discardableResult
    public func publish(
        scopes outcomes: [RunOutcome], notifying: [RunOutcome]? = nil,
        retiring: ((MonitoringScope) -> Bool)? = nil
    ) async -> [RunOutcome] {
        var outcomes = outcomes
        // The database is read only for what was asked for: without metrics or notifications a run
        // that could not use its database reports that once, as the run's own error.
        let history = metricsFile == nil && notifier == nil ? nil : openHistory()
        let queries = history.map(HistoryQueries.init)
        if let queries {
            for index in outcomes.indices {
                guard let run = outcomes[index].summary?.runID else { continue }
                outcomes[index].anomalies =
                    logged("counting the run's anomalies") { () throws(StoreError) in
                        try queries.anomalies(inRun: run).count
                    } ?? 0
            }
        }
        if let metricsFile { writeMetrics(outcomes, history: history, to: metricsFile, retiring: retiring) }
        if let notifier {
            // A webhook that could not be reached for one scope's notification (no answer in time, no
            // connection) is not tried again tonight: twenty scopes would wait twenty timeouts. Its ledgers keep
            // those runs, so it gets them with its next digest. One that refused a body is still sent the others'.
            var unreachable: Set<WebhookURL> = []
            for outcome in notifying ?? outcomes {
                unreachable.formUnion(await notify(outcome, queries: queries, with: notifier, skipping: unreachable))
            }
        }
        return outcomes
    }

    /// The history, read-only, when its file (or PostgreSQL database) exists and opens; nil otherwise
    /// (metrics carry what they can).
    func openHistory() -> HistoryDatabase? {
        guard PostgresLocation.isPostgres(databasePath) || FileManager.default.fileExists(atPath: databasePath) else {
            return nil
        }
        return logged("opening the database for metrics and notifications") { () throws(StoreError) in
            try HistoryDatabase.open(path: databasePath, readOnly: true)
        }
    }

    func writeMetrics(
        _ outcomes: [RunOutcome], history: HistoryDatabase?, to file: MetricsFile,
        retiring: ((MonitoringScope) -> Bool)?
    ) {
        let queries = history.map(HistoryQueries.init)
        let bytes = history.flatMap { history in
            logged("measuring the database") { () throws(StoreError) in try history.fileSize() }
        }
        let all = outcomes.map { metrics(of: $0, queries: queries, databaseBytes: bytes, file: file) }
        do {
            let retired = try file.write(all, retiring: retiring)
            logger.debug("metrics written", metadata: ["file": "\(file.path)"])
            for scope in retired {
                let label = [scope.account, scope.region, scope.projectID].map { $0.isEmpty ? "-" : $0 }
                    .joined(separator: "/")
                logger.warning(
                    "\(file.path): retired the series of \(label), which this estate no longer collects (its history stays)"
                )
            }
        } catch {
            logger.error("\(error)")
        }
    }

    /// The series of one scope's outcome.
    func metrics(of outcome: RunOutcome, queries: HistoryQueries?, databaseBytes: Int64?, file: MetricsFile)
        -> RunMetrics
    {
        // The database says when the last complete run ended; without it, this run (if complete) or the
        // previous file's value, so the alert's series never disappears after one bad night.
        let recorded =
            queries.flatMap { queries in
                logged("reading the last complete run") { () throws(StoreError) in
                    // Of this run's scope and selection only: the labels say which project the value is for.
                    try outcome.summary.map { summary throws(StoreError) in
                        try queries.latestFinish(of: .complete, like: summary.runID)
                    } ?? nil
                }
            } ?? nil
        let succeeded = outcome.status == .complete && outcome.exitCode == 0
        let lastSuccess =
            recorded ?? (succeeded ? outcome.finishedAt : file.previousLastSuccess(of: outcome.scope))
        // The resources of this run's scope (a run that never began has no scope row: none reported).
        let resources = queries.flatMap { queries in
            outcome.summary.flatMap { summary in
                logged("counting resources") { () throws(StoreError) in
                    try queries.resourceCounts(inScopeOf: summary.runID)
                }
            }
        }
        return RunMetrics(
            scope: outcome.scope, lastRun: outcome.finishedAt, lastSuccess: lastSuccess,
            durationSeconds: max(0, outcome.finishedAt.seconds(since: outcome.startedAt)), status: outcome.status,
            counts: outcome.counts,
            resources: resources.map { .init(present: $0.present, gone: $0.gone) },
            anomalies: outcome.anomalies, databaseBytes: databaseBytes, chainHead: outcome.summary?.chainHead)
    }

    /// The most runs one digest covers: a webhook that has been failing for longer gets the latest ones (its
    /// `digest_first_run` says from where; `report changes --since` lists everything).
    static let digestRuns: Int64 = 100

    /// - Returns: the webhooks that were sent a notification and could not be reached.
    @discardableResult
    func notify(
        _ outcome: RunOutcome, queries: HistoryQueries?, with notifier: Notifier, skipping: Set<WebhookURL> = []
    ) async -> Set<WebhookURL> {
        // Read, deliver and record under one lock: an overlapping run waits for this one's deliveries (bounded
        // by their timeouts), then sends each webhook only what this one did not.
        let wait = Duration.seconds(notifier.sender.policy.timeout * Double(notifier.urls.count) + 10)
        return await NotificationLedger(databasePath: databasePath).exclusively(wait: wait) {
            await deliver(outcome, queries: queries, with: notifier, skipping: skipping)
        }
    }

    /// Sends each webhook the digest of the runs it has not accepted yet (its own ledger): one that keeps
    /// failing gets the missed runs again, without holding back the others. Webhooks that missed the same
    /// runs get one body.
    private func deliver(
        _ outcome: RunOutcome, queries: HistoryQueries?, with notifier: Notifier, skipping: Set<WebhookURL>
    ) async -> Set<WebhookURL> {
        var failed: Set<WebhookURL> = []
        let scope = outcome.historyScope ?? ScopeKey(endpoint: outcome.endpoint, projectID: outcome.scope.projectID)
        let ledgers = notifier.urls.map { NotificationLedger(databasePath: databasePath, url: $0, scope: scope) }
        let run = outcome.summary?.runID
        // The first run of each webhook's digest, webhooks in their order.
        var firsts: [Int64?] = []
        var targets: [Int64?: [Int]] = [:]
        for (index, ledger) in ledgers.enumerated() {
            var first = ledger.lastDelivered().map { $0 + 1 }
            if let run, let start = first, run - start >= Self.digestRuns { first = run - Self.digestRuns + 1 }
            if targets[first] == nil { firsts.append(first) }
            targets[first, default: []].append(index)
        }
        for first in firsts {
            let indices = targets[first] ?? []
            var digest: RunDigest?
            if let queries, let run {
                digest = logged("reading the run's digest") { () throws(StoreError) in
                    try RunDigest.load(runs: first, through: run, from: queries, sameScope: true)
                }
            }
            var accepted = Set(indices.map { notifier.urls[$0] })
            if !outcome.isClean || outcome.anomalies > 0 || !(digest?.isEmpty ?? true) {
                let body: Data
                do {
                    body = try notifier.body(for: outcome, digest: digest)
                } catch {
                    logger.error("cannot encode the notification: \(error)")
                    continue
                }
                let attempted = indices.map { notifier.urls[$0] }.filter { !skipping.contains($0) }
                let delivery = await notifier.delivery(body, to: attempted)
                accepted = Set(delivery.accepted)
                failed.formUnion(delivery.unreachable)
            }
            // A ledger moves only when its webhook has the digest (or there was nothing to say). A webhook that
            // never accepted one gets a ledger just before this run, so its next digest starts here.
            guard digest != nil, let run else { continue }
            for index in indices {
                let delivered = accepted.contains(notifier.urls[index])
                guard delivered || first == nil else { continue }
                do {
                    try ledgers[index].record(delivered ? run : run - 1)
                } catch {
                    logger.error("\(error)")
                }
            }
        }
        return failed
    }

    /// Runs `body`; logs a failure once as a warning with what was being done, and returns nil.
    func logged<T>(_ doing: String, _ body: () throws(StoreError) -> T) -> T? {
        do {
            return try body()
        } catch {
            logger.warning("\(doing): \(error)")
            return nil
        }
    }
}
