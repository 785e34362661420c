import Foundation
import GRDB
import GatewayAuditCore

/// Writes collection runs: begins a run under the run lock, records batches of observations, and
/// finishes the run by sealing its record. Every write is one `IMMEDIATE` transaction, awaited
/// without blocking a thread of the cooperative pool.
public struct HistoryWriter: Sendable {
    let database: HistoryDatabase
    /// The chain head lines the database's writer keeps between seals.
    var heads: ChainHeadCache { database.chainHeads }

    /// Creates a writer over `database`.
    public init(_ database: HistoryDatabase) {
        self.database = database
    }

    /// Starts a collection run: takes its scope's run lock (waiting up to `lockWait`), closes runs of
    /// that scope a killed process left `running` as `aborted`, and records the new run. Runs of other
    /// scopes go on at the same time.
    /// `startedAt` is read once the lock is held: a run that waited for another starts when it can.
    /// - Throws: ``StoreError/locked(path:waitedSeconds:)`` when another run holds the database.
    public func beginRun(
        _ info: RunInfo, at startedAt: @autoclosure () -> Instant = .now, lockWait: Duration = .seconds(60)
    ) async throws(StoreError) -> ActiveRun {
        if let session = database.postgres {
            return try await PostgresWriter(session: session).beginRun(info, at: startedAt, lockWait: lockWait)
        }
        let scope = info.scopeKey
        let lock =
            database.isFile
            ? try await RunLock.acquire(databasePath: database.path, scope: scope, wait: lockWait) : nil
        let startedAt = startedAt()
        let path = database.path
        do {
            let (id, aborted) = try await database.write { db in
                try Self.openRun(info, at: startedAt, path: path, heads: heads, db)
            }
            return ActiveRun(id: id, startedAt: startedAt, abortedRuns: aborted, scope: scope, lock: lock)
        } catch {
            lock?.release()
            throw error
        }
    }

    /// Closes a run with its final status, seals its record (chain head and record hash) and releases
    /// the run lock.
    /// - Returns: the history's chain head after this run, to print as an anchor outside the database.
    /// - Throws: ``StoreError/runNotActive(id:)`` if it was already closed.
    @discardableResult
    public func finishRun(_ run: ActiveRun, status: RunStatus, message: String? = nil, at finishedAt: Instant = .now)
        async throws(StoreError) -> String
    {
        defer {
            run.lock?.release()
            run.postgresLock?.release()
        }
        if let session = database.postgres {
            return try await PostgresWriter(session: session).finishRun(
                run, status: status, message: message, at: finishedAt)
        }
        let id = run.id
        let path = database.path
        return try await database.write { db in
            try Self.closeRun(id, status: status, message: message, at: finishedAt, path: path, heads: heads, db)
        }
    }

    /// Records a whole run in one transaction: for observations already in hand (an imported night), so
    /// the run and all it saw are stored together or not at all, with one commit instead of three. Takes
    /// the scope's run lock as ``beginRun(_:at:lockWait:)`` does, then `prepare` builds the writes under it
    /// (it reads the prior states through this writer), then the run is opened, recorded, finished with
    /// `status` and sealed, and the lock released.
    /// - Returns: the run, the outcome of each write, in order, and the chain head after it.
    /// - Throws: ``StoreError``, or what `prepare` throws; then nothing of the run is stored.
    public func recordRun(
        _ info: RunInfo, at startedAt: Instant, finishedAt: Instant, status: RunStatus = .complete,
        lockWait: Duration = .seconds(60), prepare: () async throws(StoreError) -> [SnapshotWrite]
    ) async throws(StoreError) -> RecordedRun {
        if let session = database.postgres {
            return try await PostgresWriter(session: session).recordRun(
                info, at: startedAt, finishedAt: finishedAt, status: status, lockWait: lockWait, prepare: prepare)
        }
        let scope = info.scopeKey
        let lock =
            database.isFile
            ? try await RunLock.acquire(databasePath: database.path, scope: scope, wait: lockWait) : nil
        defer { lock?.release() }
        let writes = try await prepare()
        let path = database.path
        return try await database.write { db in
            let (id, aborted) = try Self.openRun(info, at: startedAt, path: path, heads: heads, db)
            let outcomes = try Self.reportingConflicts(path: path) {
                try Self.record(writes, run: id, scope: scope, heads: heads, db)
            }
            let head = try Self.closeRun(id, status: status, message: nil, at: finishedAt, path: path, heads: heads, db)
            return RecordedRun(id: id, abortedRuns: aborted, outcomes: outcomes, chainHead: head)
        }
    }

    /// Closes the scope's runs a killed process left `running` as `aborted` and inserts run `info` as
    /// running, with the next run id.
    /// - Returns: the new run's id and the runs it closed.
    static func openRun(
        _ info: RunInfo, at startedAt: Instant, path: String, heads: ChainHeadCache, _ db: Database
    ) throws -> (
        Int64, [Int64]
    ) {
        let scope = info.scopeKey
        let (inScope, scopeArguments) = scope.sqlCondition()
        let aborted = try Int64.fetchAll(
            db, sql: "SELECT id FROM run WHERE status = ? AND \(inScope) ORDER BY id",
            arguments: [RunStatus.running] + scopeArguments)
        let id = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM run") ?? 0) + 1
        for abortedID in aborted {
            try db.execute(
                sql: """
                    UPDATE run SET status = ?,
                        message = 'the process ended before the run finished; closed by run ' || ?
                    WHERE id = ?
                    """,
                arguments: [RunStatus.aborted, id, abortedID])
            try RunRecordChain.seal(run: abortedID, db, path: path, heads: heads)
        }
        try db.execute(
            sql: """
                INSERT INTO run (id, started_at, endpoint, project_id, tool_version, scope, record_version,
                    cloud, region, account, kinds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, startedAt.storageValue, info.endpoint, scope.projectID, info.toolVersion,
                info.scope.rawValue,
                RunRecordChain.currentVersion, scope.cloud, scope.region, scope.account, info.kindsText,
            ])
        return (id, aborted)
    }

    /// Gives running run `id` its final status and seals it.
    /// - Returns: the chain head the run sealed.
    static func closeRun(
        _ id: Int64, status: RunStatus, message: String?, at finishedAt: Instant, path: String,
        heads: ChainHeadCache, _ db: Database
    ) throws -> String {
        try db.execute(
            sql: "UPDATE run SET status = ?, finished_at = ?, message = ? WHERE id = ? AND status = ?",
            arguments: [status, finishedAt.storageValue, message, id, RunStatus.running])
        if db.changesCount == 0 { throw StoreError.runNotActive(id: id) }
        try RunRecordChain.seal(run: id, db, path: path, heads: heads)
        return try String.fetchOne(db, sql: "SELECT chain_head FROM run WHERE id = ?", arguments: [id]) ?? ""
    }
}

/// A run recorded whole by ``HistoryWriter/recordRun(_:at:finishedAt:status:lockWait:prepare:)``.
public struct RecordedRun: Sendable, Hashable {
    /// The run's row id.
    public let id: Int64
    /// Runs of its scope found unfinished (killed) and closed as aborted.
    public let abortedRuns: [Int64]
    /// The outcome of each write, in order.
    public let outcomes: [ObservationOutcome]
    /// The chain head the run sealed.
    public let chainHead: String
}
