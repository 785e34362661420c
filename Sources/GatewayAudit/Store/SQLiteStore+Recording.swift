import Foundation
import GRDB

extension SQLiteStore {
    /// Starts a collection run: takes the run lock (waiting up to `lockWait` seconds), closes runs a
    /// killed process left `running` as `aborted`, and records the new run.
    /// - Throws: ``StoreError/locked(path:waitedSeconds:)`` when another run holds the database.
    public func beginRun(_ info: RunInfo, at startedAt: Instant = .now, lockWait: Double = 60) throws(StoreError)
        -> ActiveRun
    {
        let lock = try RunLock(databasePath: path, wait: lockWait)
        let (id, aborted) = try write { db -> (Int64, [Int64]) in
            let aborted = try Int64.fetchAll(db, sql: "SELECT id FROM run WHERE status = 'running' ORDER BY id")
            let id = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM run") ?? 0) + 1
            for abortedID in aborted {
                try db.execute(
                    sql: """
                        UPDATE run SET status = 'aborted',
                            message = 'the process ended before the run finished; closed by run ' || ?
                        WHERE id = ?
                        """,
                    arguments: [id, abortedID])
                try RunRecordChain.seal(run: abortedID, db)
            }
            try db.execute(
                sql: """
                    INSERT INTO run (id, started_at, endpoint, project_id, tool_version, scope)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, startedAt.storageValue, info.endpoint, info.projectID, info.toolVersion, info.scope])
            return (id, aborted)
        }
        return ActiveRun(id: id, startedAt: startedAt, abortedRuns: aborted, lock: lock)
    }

    /// Records a batch of observations in one `BEGIN IMMEDIATE` transaction: all or nothing.
    /// - Returns: the outcome of each observation, in order.
    /// - Throws: ``StoreError``; on error nothing of the batch is stored.
    public func record(
        _ observations: [Observation], in run: ActiveRun, detector: AnomalyDetector = AnomalyDetector()
    ) throws(StoreError) -> [ObservationOutcome] {
        try write { db in
            let status = try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [run.id])
            guard status == RunStatus.running.rawValue else { throw StoreError.runNotActive(id: run.id) }
            var recorder = SnapshotRecorder(db: db, run: run.id, detector: detector)
            try recorder.prefetch(observations.map(\.gatewayID))
            var counts = RunCounts()
            var outcomes: [ObservationOutcome] = []
            outcomes.reserveCapacity(observations.count)
            for observation in observations {
                let outcome = try recorder.record(observation)
                counts.add(outcome)
                outcomes.append(outcome)
            }
            try db.execute(
                sql: """
                    UPDATE run SET observed = observed + ?, unchanged = unchanged + ?, changed = changed + ?,
                        new = new + ?, gone = gone + ?, failed = failed + ? WHERE id = ?
                    """,
                arguments: [
                    counts.observed, counts.unchanged, counts.changed, counts.new, counts.gone, counts.failed, run.id,
                ])
            return outcomes
        }
    }

    /// Closes a run with its final status and seals its record (chain head and record hash); the run
    /// lock is released when `run` is released.
    /// - Returns: the history's chain head after this run, to print as an anchor outside the database.
    /// - Throws: ``StoreError/runNotActive(id:)`` if it was already closed.
    @discardableResult
    public func finishRun(
        _ run: ActiveRun, status: RunStatus, message: String? = nil, at finishedAt: Instant = .now
    ) throws(StoreError) -> String {
        try write { db in
            try db.execute(
                sql: "UPDATE run SET status = ?, finished_at = ?, message = ? WHERE id = ? AND status = 'running'",
                arguments: [status.rawValue, finishedAt.storageValue, message, run.id])
            if db.changesCount == 0 { throw StoreError.runNotActive(id: run.id) }
            try RunRecordChain.seal(run: run.id, db)
            return try String.fetchOne(db, sql: "SELECT chain_head FROM run WHERE id = ?", arguments: [run.id]) ?? ""
        }
    }
}

extension Instant {
    /// The integer stored in the database: nanoseconds since the epoch, clamped to what Int64 holds.
    var storageValue: Int64 {
        nanosecondsSinceEpoch ?? (seconds < 0 ? Int64.min : Int64.max)
    }
}
