import Foundation
import GRDB
import GatewayAuditCore

/// Writes collection runs: begins a run under the run lock, records batches of observations, and
/// finishes the run by sealing its record. Every write is one `IMMEDIATE` transaction, awaited
/// without blocking a thread of the cooperative pool.
public struct HistoryWriter: Sendable {
    let database: HistoryDatabase

    /// Creates a writer over `database`.
    public init(_ database: HistoryDatabase) {
        self.database = database
    }

    /// Starts a collection run: takes its scope's run lock (waiting up to `lockWait`), closes runs of
    /// that scope a killed process left `running` as `aborted`, and records the new run. Runs of other
    /// scopes go on at the same time.
    /// - Throws: ``StoreError/locked(path:waitedSeconds:)`` when another run holds the database.
    public func beginRun(_ info: RunInfo, at startedAt: Instant = .now, lockWait: Duration = .seconds(60))
        async throws(StoreError) -> ActiveRun
    {
        if let session = database.postgres {
            return try await PostgresWriter(session: session).beginRun(info, at: startedAt, lockWait: lockWait)
        }
        let scope = info.scopeKey
        let lock =
            database.isFile
            ? try await RunLock.acquire(databasePath: database.path, scope: scope, wait: lockWait) : nil
        let path = database.path
        do {
            let (id, aborted) = try await database.write { db -> (Int64, [Int64]) in
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
                    try RunRecordChain.seal(run: abortedID, db, path: path)
                }
                try db.execute(
                    sql: """
                        INSERT INTO run (id, started_at, endpoint, project_id, tool_version, scope, record_version,
                            cloud, region, account)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, startedAt.storageValue, info.endpoint, scope.projectID, info.toolVersion,
                        info.scope.rawValue,
                        RunRecordChain.currentVersion, scope.cloud, scope.region, scope.account,
                    ])
                return (id, aborted)
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
            try db.execute(
                sql: "UPDATE run SET status = ?, finished_at = ?, message = ? WHERE id = ? AND status = ?",
                arguments: [status, finishedAt.storageValue, message, id, RunStatus.running])
            if db.changesCount == 0 { throw StoreError.runNotActive(id: id) }
            try RunRecordChain.seal(run: id, db, path: path)
            return try String.fetchOne(db, sql: "SELECT chain_head FROM run WHERE id = ?", arguments: [id]) ?? ""
        }
    }
}
