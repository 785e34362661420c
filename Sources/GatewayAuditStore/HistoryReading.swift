import GatewayAuditCore

/// Everything the reports read from a history, whatever the store behind it. The SQLite
/// implementation is ``HistoryQueries``; a second backend implements the same protocol.
public protocol HistoryReading: Sendable {
    /// Streams every snapshot and tombstone matching `filter`, ordered by gateway id then sequence.
    /// - Throws: ``StoreError``, or whatever `body` throws (which stops the stream).
    func forEachHistoryRow(_ filter: ReportFilter, _ body: (HistoryRow) throws -> Void) throws
    /// Streams every change and gateway event matching `filter` in the order first observed.
    /// - Throws: ``StoreError``, or whatever `body` throws.
    func forEachChangeRow(_ filter: ReportFilter, _ body: (ChangeRow) throws -> Void) throws
    /// Streams one row per timestamp field of every present snapshot matching `filter`.
    /// - Throws: ``StoreError``, or whatever `body` throws.
    func forEachTimestampRow(_ filter: ReportFilter, _ body: (TimestampRow) throws -> Void) throws
    /// Streams every window of an operational `status` matching `filter`, by resource id then sequence.
    /// - Throws: ``StoreError``, or whatever `body` throws.
    func forEachStatusRow(_ filter: ReportFilter, _ body: (StatusRow) throws -> Void) throws
    /// Every snapshot (of any resource) that names `target` as its linked resource of `kind` (a
    /// connection's `cgw_id` or `vgw_id`), by referring id then sequence.
    /// - Throws: ``StoreError``.
    func linkedSnapshots(to target: GatewayID, kind: ResourceKind) throws(StoreError) -> [LinkedSnapshot]
    /// Every stored anomaly matching `filter`, by gateway and snapshot.
    /// - Throws: ``StoreError``.
    func anomalies(_ filter: ReportFilter) throws(StoreError) -> [StoredAnomaly]
    /// Failed observations matching `filter`, oldest first.
    /// - Throws: ``StoreError``.
    func failedObservations(_ filter: ReportFilter) throws(StoreError) -> [FailedObservation]
    /// Every known gateway, present or gone, by id.
    /// - Throws: ``StoreError``.
    func gateways() throws(StoreError) -> [GatewaySummary]
    /// One gateway's summary, or nil when the id has no record.
    /// - Throws: ``StoreError``.
    func gateway(_ id: GatewayID) throws(StoreError) -> GatewaySummary?
    /// Collection runs, newest first (`limit` nil for all).
    /// - Throws: ``StoreError``.
    func runs(limit: Int?) throws(StoreError) -> [RunRecord]
    /// Totals over the whole history.
    /// - Throws: ``StoreError``.
    func statistics() throws(StoreError) -> HistoryStatistics
    /// The current chain head.
    /// - Throws: ``StoreError``.
    func chainHead() throws(StoreError) -> String
    /// True when some finished run recorded `head`.
    /// - Throws: ``StoreError``.
    func recordedHead(_ head: String) throws(StoreError) -> Bool
    /// The head each scope's latest finished run sealed, by scope (account, cloud, region, project).
    /// - Throws: ``StoreError``.
    func sealedScopeHeads() throws(StoreError) -> [ScopeHead]
    /// Where the history lives, for manifests and messages (a path; never a password).
    var location: String { get }
    /// Refuses what was read when a writer changed a file read as it stood (``HistoryDatabase/confirmUnchanged()``).
    /// - Throws: ``StoreError/changedWhileRead(path:)``.
    func confirmUnchanged() throws(StoreError)
}

extension HistoryReading {
    /// Nothing to confirm: only an SQLite file read `immutable` can change under its reader.
    public func confirmUnchanged() throws(StoreError) {}

    /// ``forEachHistoryRow(_:_:)`` over the whole history.
    /// - Throws: ``StoreError``, or whatever `body` throws.
    public func forEachHistoryRow(_ body: (HistoryRow) throws -> Void) throws {
        try forEachHistoryRow(ReportFilter(), body)
    }

    /// ``forEachChangeRow(_:_:)`` over the whole history.
    /// - Throws: ``StoreError``, or whatever `body` throws.
    public func forEachChangeRow(_ body: (ChangeRow) throws -> Void) throws {
        try forEachChangeRow(ReportFilter(), body)
    }

    /// ``forEachTimestampRow(_:_:)`` over the whole history.
    /// - Throws: ``StoreError``, or whatever `body` throws.
    public func forEachTimestampRow(_ body: (TimestampRow) throws -> Void) throws {
        try forEachTimestampRow(ReportFilter(), body)
    }

    /// Every stored anomaly.
    /// - Throws: ``StoreError``.
    public func anomalies() throws(StoreError) -> [StoredAnomaly] { try anomalies(ReportFilter()) }

    /// Every failed observation, oldest first.
    /// - Throws: ``StoreError``.
    public func failedObservations() throws(StoreError) -> [FailedObservation] {
        try failedObservations(ReportFilter())
    }

    /// Every run, newest first.
    /// - Throws: ``StoreError``.
    public func runs() throws(StoreError) -> [RunRecord] { try runs(limit: nil) }
}
