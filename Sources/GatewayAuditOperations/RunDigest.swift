import GatewayAuditCore
import GatewayAuditStore

/// What one run found that a person should read: its field changes and gateway events (from the
/// stored change rows), its failed fetches and its anomalies. Everything in it is in the database, so
/// a digest that could not be delivered loses nothing: `report changes --since` shows the same.
public struct RunDigest: Sendable, Hashable {
    /// The first run whose entries are included (earlier runs' digests were delivered).
    public let firstRunID: Int64
    /// The run.
    public let runID: Int64
    /// Every entry: changes and events in observation order, then failures, then anomalies.
    public let entries: [DigestEntry]
    /// The change rows behind the change entries (with their windows), for `report digest`.
    public let changes: [ChangeRow]
    /// The failed observations behind the `failed` entries.
    public let failures: [FailedObservation]
    /// The anomalies behind the `anomaly` entries.
    public let anomalies: [StoredAnomaly]

    /// Creates a digest.
    public init(
        firstRunID: Int64? = nil, runID: Int64, entries: [DigestEntry], changes: [ChangeRow] = [],
        failures: [FailedObservation] = [], anomalies: [StoredAnomaly] = []
    ) {
        self.firstRunID = firstRunID ?? runID
        self.runID = runID
        self.entries = entries
        self.changes = changes
        self.failures = failures
        self.anomalies = anomalies
    }

    /// At most `limit` entries, and how many were left out.
    public func capped(at limit: Int) -> (entries: [DigestEntry], omitted: Int) {
        (Array(entries.prefix(max(0, limit))), max(0, entries.count - max(0, limit)))
    }

    /// Whether the digest holds news a person should hear about.
    public var isEmpty: Bool { entries.isEmpty }

    /// Reads the digest of runs `firstRun...run` from `queries` (one run, or every run since the
    /// last delivered notification): only the runs of the scopes `scopes` matches, or only the runs `only`
    /// names, and only resources of `kinds` (all when empty). With `sameScope`, only the runs of `run`'s own
    /// scope (account, cloud, region and project): a project's notification never carries another's.
    /// - Throws: ``StoreError`` when the database cannot be read.
    public static func load(
        runs firstRun: Int64? = nil, through run: Int64, from queries: HistoryQueries,
        scopes: ScopeFilter = ScopeFilter(), only: Set<Int64>? = nil, kinds: [ResourceKind] = [],
        sameScope: Bool = false
    ) throws(StoreError) -> RunDigest {
        let first = min(firstRun ?? run, run)
        var entries: [DigestEntry] = []
        var changes: [ChangeRow] = []
        // The newest runs reach back to `first` when `run` is the latest of all (a notification); a digest of
        // some scopes' runs may end far below the latest, so it reads them all.
        let limit = scopes.isEmpty && only == nil ? Int(run - first) + 50 : nil
        var records = try queries.runs(limit: limit).filter {
            (first...run).contains($0.id) && scopes.matches($0.scopeKey) && only?.contains($0.id) != false
        }
        if sameScope {
            let scope = records.first { $0.id == run }?.scopeKey
            records = records.filter { $0.scopeKey == scope }
        }
        let runIDs = Set(records.map(\.id))
        let kindSet = Set(kinds)
        func wanted(_ kind: ResourceKind?) -> Bool { kindSet.isEmpty || kind.map(kindSet.contains) == true }
        // Change rows are selected by the runs' window, then by run (windows of neighbours may touch).
        let filter = ReportFilter(
            since: records.map(\.startedAt).min(), until: records.compactMap(\.finishedAt).max(), kinds: kinds)
        do {
            try queries.forEachChangeRow(filter) { row in
                guard runIDs.contains(row.firstRunAfter) else { return }
                changes.append(row)
                entries.append(DigestEntry(row))
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.sqlite(path: queries.location, detail: "reading the run's changes: \(error)")
        }
        var failures: [FailedObservation] = []
        var anomalies: [StoredAnomaly] = []
        for id in runIDs.sorted() {
            failures += try queries.failedObservations(inRun: id)
            anomalies += try queries.anomalies(inRun: id)
        }
        // Failures and anomalies name only the id: their kind is the history's (one lookup per id).
        var kindOf: [GatewayID: ResourceKind] = [:]
        for id in Set(failures.map(\.gatewayID) + anomalies.map(\.gatewayID)) {
            kindOf[id] = try queries.gateway(id)?.kind
        }
        failures = failures.filter { wanted(kindOf[$0.gatewayID]) }
        anomalies = anomalies.filter { wanted(kindOf[$0.gatewayID]) }
        for failure in failures {
            entries.append(
                DigestEntry(
                    event: .failed, gatewayID: failure.gatewayID.rawValue, observedAt: failure.observedAt,
                    detail: failure.error, resourceKind: kindOf[failure.gatewayID]))
        }
        for anomaly in anomalies {
            entries.append(
                DigestEntry(
                    event: .anomaly, gatewayID: anomaly.gatewayID.rawValue, field: anomaly.field,
                    detail: "\(anomaly.kind.rawValue): \(anomaly.detail)", resourceKind: kindOf[anomaly.gatewayID]))
        }
        return RunDigest(
            firstRunID: first, runID: run, entries: entries, changes: changes, failures: failures, anomalies: anomalies)
    }
}

extension DigestEntry {
    /// The entry for one stored change row.
    init(_ row: ChangeRow) {
        self.init(
            event: .change(row.change), gatewayID: row.gatewayID.rawValue, field: row.field.isEmpty ? nil : row.field,
            oldValue: row.oldValue, newValue: row.newValue, observedAt: row.firstSeenAfter, resourceKind: row.kind)
    }
}
