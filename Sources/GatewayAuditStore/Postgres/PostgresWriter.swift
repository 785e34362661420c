import GatewayAuditCore
import PostgresNIO

/// ``HistoryWriter`` over PostgreSQL: the same runs, batches and seals, with a per-scope advisory lock
/// instead of a lock file and one server transaction per batch (per run for ``recordRun(_:at:finishedAt:status:lockWait:prepare:)``).
struct PostgresWriter: Sendable {
    let session: PostgresSession

    func beginRun(_ info: RunInfo, at startedAt: () -> Instant, lockWait: Duration) async throws(StoreError)
        -> ActiveRun
    {
        let scope = info.scopeKey
        let lock = try await PostgresRunLock.acquire(session, scope: scope, wait: lockWait)
        let startedAt = startedAt()
        let session = session
        do {
            let (id, aborted) = try await session.offload { () throws(StoreError) -> (Int64, [Int64]) in
                try session.transaction { connection in
                    try Self.openRun(info, at: startedAt, lockWait: lockWait, connection)
                }
            }
            return ActiveRun(
                id: id, startedAt: startedAt, abortedRuns: aborted, scope: scope, lock: nil, postgresLock: lock)
        } catch {
            lock.release()
            throw error
        }
    }

    func finishRun(_ run: ActiveRun, status: RunStatus, message: String?, at finishedAt: Instant)
        async throws(StoreError) -> String
    {
        let id = run.id
        let session = session
        try await run.postgresLock?.ensureHeld(session, run: id)
        return try await session.offload { () throws(StoreError) -> String in
            try session.transaction { connection in
                try Self.closeRun(id, status: status, message: message, at: finishedAt, connection)
            }
        }
    }

    func record(_ writes: [SnapshotWrite], in run: ActiveRun) async throws(StoreError) -> [ObservationOutcome] {
        let id = run.id
        let scope = run.scope
        let session = session
        try await run.postgresLock?.ensureHeld(session, run: id)
        return try await session.offload { () throws(StoreError) -> [ObservationOutcome] in
            try session.transaction { connection in
                try Self.reportingConflicts(connection) { try Self.record(writes, run: id, scope: scope, connection) }
            }
        }
    }

    /// Runs `body`, which records prior states read in an earlier transaction: a unique violation (another
    /// run inserted the same resource or snapshot since, and committed first), a latest snapshot closed
    /// since, or a deadlock with such a run becomes ``StoreError/concurrentWrite(path:detail:)`` (the
    /// transaction is rolled back).
    static func reportingConflicts<T>(_ connection: PGConnection, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PSQLError where StoreError.isConflict(error) {
            let message = error.serverInfo?[.message] ?? "a conflicting write"
            throw StoreError.concurrentWrite(path: connection.path, detail: message)
        } catch let stale as StalePriorState {
            throw StoreError.concurrentWrite(path: connection.path, detail: stale.detail)
        }
    }

    /// A run recorded whole, in one server transaction (``HistoryWriter/recordRun(_:at:finishedAt:status:lockWait:prepare:)``).
    func recordRun(
        _ info: RunInfo, at startedAt: Instant, finishedAt: Instant, status: RunStatus, lockWait: Duration,
        prepare: () async throws(StoreError) -> [SnapshotWrite]
    ) async throws(StoreError) -> RecordedRun {
        let scope = info.scopeKey
        let lock = try await PostgresRunLock.acquire(session, scope: scope, wait: lockWait)
        defer { lock.release() }
        let writes = try await prepare()
        let session = session
        return try await session.offload { () throws(StoreError) -> RecordedRun in
            try session.transaction { connection in
                let (id, aborted) = try Self.openRun(info, at: startedAt, lockWait: lockWait, connection)
                let outcomes = try Self.reportingConflicts(connection) {
                    try Self.record(writes, run: id, scope: scope, sealsOwnScope: true, connection)
                }
                let head = try Self.closeRun(id, status: status, message: nil, at: finishedAt, connection)
                return RecordedRun(id: id, abortedRuns: aborted, outcomes: outcomes, chainHead: head)
            }
        }
    }

    /// Closes the scope's runs a killed process left `running` as `aborted` and inserts run `info` as
    /// running, with the next run id. Waits up to `lockWait` for the run-id lock (another scope's run opening,
    /// or an import's night being recorded), then throws ``StoreError/locked(path:waitedSeconds:)``: a
    /// transaction left open elsewhere never holds a nightly job for ever.
    static func openRun(_ info: RunInfo, at startedAt: Instant, lockWait: Duration, _ connection: PGConnection)
        throws -> (Int64, [Int64])
    {
        let scope = info.scopeKey
        // Run ids are allocated in order over all scopes, as SQLite's single writer does. (0 would be no limit.)
        try connection.execute("SET LOCAL lock_timeout = \(max(1, Int64(lockWait.seconds * 1000)))")
        do {
            try connection.execute(
                "SELECT pg_advisory_xact_lock(?::integer, ?::integer)",
                [PostgresSchema.lockClass, PostgresSchema.runIDLock])
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55P03" {
            throw StoreError.locked(path: connection.path, waitedSeconds: lockWait.seconds)
        }
        try connection.execute("SET LOCAL lock_timeout = 0")
        let (inScope, scopeArguments) = scope.pgCondition()
        let aborted = try connection.rows(
            "SELECT id FROM run WHERE status = ? AND \(inScope) ORDER BY id",
            [RunStatus.running] + scopeArguments
        ).map { try $0.int("id") }
        let id = (try connection.rows("SELECT MAX(id) AS id FROM run").first?.optionalInt("id") ?? 0) + 1
        for abortedID in aborted {
            try connection.execute(
                "UPDATE run SET status = ?, message = ? WHERE id = ?",
                [
                    RunStatus.aborted,
                    "the process ended before the run finished; closed by run \(id)", abortedID,
                ])
            try PostgresChain.seal(run: abortedID, connection)
        }
        try connection.execute(
            """
            INSERT INTO run (id, started_at, endpoint, project_id, tool_version, scope, record_version,
                cloud, region, account, kinds)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                id, startedAt.storageValue, info.endpoint, scope.projectID, info.toolVersion,
                info.scope.rawValue, RunRecordChain.currentVersion, scope.cloud, scope.region,
                scope.account, info.kindsText,
            ])
        return (id, aborted)
    }

    /// Gives running run `id` its final status and seals it; returns the chain head it sealed.
    static func closeRun(
        _ id: Int64, status: RunStatus, message: String?, at finishedAt: Instant, _ connection: PGConnection
    ) throws -> String {
        let changed = try connection.execute(
            "UPDATE run SET status = ?, finished_at = ?, message = ? WHERE id = ? AND status = ?",
            [status, finishedAt.storageValue, message, id, RunStatus.running])
        if changed == 0 { throw StoreError.runNotActive(id: id) }
        try PostgresChain.seal(run: id, connection)
        return try connection.rows("SELECT chain_head FROM run WHERE id = ?", [id]).first?
            .optionalText("chain_head") ?? ""
    }

    /// Records a batch of running run `id` of `scope` in the open transaction.
    /// With `sealsOwnScope`, the transaction seals the run after the batch (``recordRun(_:at:finishedAt:status:lockWait:prepare:)``):
    /// the seal lock of its scope is taken with the departures' ones, before any row.
    static func record(
        _ writes: [SnapshotWrite], run id: Int64, scope: ScopeKey, sealsOwnScope: Bool = false,
        _ connection: PGConnection
    ) throws -> [ObservationOutcome] {
        // The run's row locked until the batch commits: another collector closing it as aborted (after this
        // one's lock went with its connection) waits, then finds it updated, instead of racing the batch.
        let status = try connection.rows("SELECT status FROM run WHERE id = ? FOR UPDATE", [id]).first?
            .optionalText("status")
        guard status == RunStatus.running.rawValue else { throw StoreError.runNotActive(id: id) }
        // The departures first: their seal locks are taken before the batch locks any row, so two
        // batches, or a batch and a seal, never wait on each other in a cycle.
        try PostgresDepartures.record(writes, run: id, scope: scope, sealsOwnScope: sealsOwnScope, connection)
        var recorder = try PostgresRecorder(connection: connection, run: id, scope: scope, writes: writes)
        let batch = try RecordedBatch.recording(writes) { try recorder.record($0) }
        try recorder.flush()
        try connection.execute(
            """
            UPDATE run SET observed = observed + ?, unchanged = unchanged + ?, changed = changed + ?,
                new = new + ?, gone = gone + ?, failed = failed + ? WHERE id = ?
            """,
            [
                batch.counts.observed, batch.counts.unchanged, batch.counts.changed, batch.counts.new,
                batch.counts.gone, batch.counts.failed, id,
            ])
        // Resources seen again had their scope set with their last-seen mark (flush).
        let gatewayIDs = batch.rescoped
        for start in stride(from: 0, to: gatewayIDs.count, by: 500) {
            let slice = Array(gatewayIDs[start..<min(start + 500, gatewayIDs.count)])
            let values: [any PGBindable] = [scope.account, scope.cloud, scope.region, scope.projectID]
            try connection.execute(
                """
                UPDATE gateway SET account = ?, cloud = ?, region = ?, project_id = ?
                WHERE gateway_id IN (\(SQLList.placeholders(slice.count)))
                    AND NOT (account = ? AND cloud = ? AND region = ? AND project_id = ?)
                """, values + slice + values)
        }
        return batch.outcomes
    }
}
