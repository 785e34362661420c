import Foundation
import GatewayAudit
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
        var outcome = outcome
        // The database is read only for what was asked for: without metrics or notifications a run
        // that could not use its database reports that once, as the run's own error.
        let history = metricsFile == nil && notifier == nil ? nil : openHistory()
        let queries = history.map(HistoryQueries.init)
        if let queries, let run = outcome.summary?.runID {
            outcome.anomalies =
                logged("counting the run's anomalies") { () throws(StoreError) in
                    try queries.anomalies(inRun: run).count
                } ?? 0
        }
        if let metricsFile { writeMetrics(outcome, history: history, to: metricsFile) }
        if let notifier { await notify(outcome, queries: queries, with: notifier) }
        await heartbeat?.finish(exitCode: outcome.exitCode, body: outcome.line)
        return outcome
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

    func writeMetrics(_ outcome: RunOutcome, history: HistoryDatabase?, to file: MetricsFile) {
        let queries = history.map(HistoryQueries.init)
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
        let lastSuccess = recorded ?? (succeeded ? outcome.finishedAt : file.previousLastSuccess())
        let statistics = queries.flatMap { queries in
            logged("counting resources") { () throws(StoreError) in try queries.statistics() }
        }
        let bytes = history.flatMap { history in
            logged("measuring the database") { () throws(StoreError) in try history.fileSize() }
        }
        let metrics = RunMetrics(
            scope: outcome.scope, lastRun: outcome.finishedAt, lastSuccess: lastSuccess,
            durationSeconds: max(0, outcome.finishedAt.seconds(since: outcome.startedAt)), status: outcome.status,
            counts: outcome.counts,
            resources: statistics.map { .init(present: $0.gateways - $0.goneGateways, gone: $0.goneGateways) },
            anomalies: outcome.anomalies, databaseBytes: bytes, chainHead: outcome.summary?.chainHead)
        do {
            try file.write(metrics)
            logger.debug("metrics written", metadata: ["file": "\(file.path)"])
        } catch {
            logger.error("\(error)")
        }
    }

    func notify(_ outcome: RunOutcome, queries: HistoryQueries?, with notifier: Notifier) async {
        let ledger = NotificationLedger(databasePath: databasePath)
        // Read, deliver and record under the ledger's lock: an overlapping run waits for this one's delivery
        // (bounded by its timeout), then sends only what this one did not.
        await ledger.exclusively(wait: .seconds(notifier.sender.policy.timeout + 10)) {
            await notify(outcome, queries: queries, with: notifier, ledger: ledger)
        }
    }

    private func notify(
        _ outcome: RunOutcome, queries: HistoryQueries?, with notifier: Notifier, ledger: NotificationLedger
    ) async {
        var digest: RunDigest?
        if let queries, let run = outcome.summary?.runID {
            let first = ledger.lastDelivered().map { $0 + 1 }
            digest = logged("reading the run's digest") { () throws(StoreError) in
                try RunDigest.load(runs: first, through: run, from: queries)
            }
        }
        let news = !outcome.isClean || outcome.anomalies > 0 || !(digest?.isEmpty ?? true)
        var delivered = true
        if news {
            let body: Data
            do {
                body = try notifier.body(for: outcome, digest: digest)
            } catch {
                logger.error("cannot encode the notification: \(error)")
                return
            }
            delivered = await notifier.deliver(body) == notifier.urls.count
        }
        // The ledger moves only when every webhook has the digest (or there was nothing to say).
        guard delivered, digest != nil, let run = outcome.summary?.runID else { return }
        do {
            try ledger.record(run)
        } catch {
            logger.error("\(error)")
        }
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
