import Foundation
import GRDB
import GatewayAuditCore

extension HistoryQueries {
    /// The anomalies found on snapshots that run `run` wrote (what that night newly noticed).
    /// - Throws: ``StoreError``.
    public func anomalies(inRun run: Int64) throws(StoreError) -> [StoredAnomaly] {
        if let postgres { return try postgres.anomalies(inRun: run) }
        let path = database.path
        return try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.gateway_id, s.seq, a.field, a.kind, a.detail
                    FROM anomaly a JOIN snapshot s ON s.id = a.snapshot JOIN gateway g ON g.id = s.gateway
                    WHERE s.first_run = ? ORDER BY g.gateway_id, s.seq, a.field, a.kind
                    """, arguments: [run]
            ).map { row in
                StoredAnomaly(
                    gatewayID: GatewayID(row["gateway_id"]), seq: row["seq"], field: row["field"],
                    kind: try row.stored(AnomalyKind.self, "kind", table: "anomaly", path: path), detail: row["detail"])
            }
        }
    }

    /// The failed observations of run `run`, by time.
    /// - Throws: ``StoreError``.
    public func failedObservations(inRun run: Int64) throws(StoreError) -> [FailedObservation] {
        if let postgres { return try postgres.failedObservations(inRun: run) }
        return try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.gateway_id, f.run, f.observed_at, f.error
                    FROM failed_observation f JOIN gateway g ON g.id = f.gateway
                    WHERE f.run = ? ORDER BY f.observed_at, g.gateway_id
                    """, arguments: [run]
            ).map { row in
                FailedObservation(
                    gatewayID: GatewayID(row["gateway_id"]), run: row["run"], observedAt: row.instant("observed_at"),
                    error: row["error"])
            }
        }
    }

    /// When the latest run with `status` finished (nil when there is none): the last success, for monitoring.
    /// With `run`, only runs like it: the same scope (account, cloud, region, project) and the same selection
    /// (every resource, ids or kinds), so one project's success never stands for another's failures.
    /// - Throws: ``StoreError``.
    public func latestFinish(of status: RunStatus, like run: Int64? = nil) throws(StoreError) -> Instant? {
        if let postgres { return try postgres.latestFinish(of: status, like: run) }
        return try database.read { db in
            var arguments: StatementArguments = [status]
            if let run { arguments += [run] }
            return try Row.fetchOne(db, sql: Self.latestFinishSQL(like: run), arguments: arguments).map {
                $0.instant("finished_at")
            }
        }
    }

    /// The resources of run `run`'s scope (account, cloud, region, project) whose latest snapshot is present
    /// and gone, for monitoring: what the labels of that run's metrics name, not the whole database; of the
    /// kinds the run collected when it collected only some (`--kind`).
    /// - Throws: ``StoreError``.
    public func resourceCounts(inScopeOf run: Int64) throws(StoreError) -> (present: Int, gone: Int) {
        if let postgres { return try postgres.resourceCounts(inScopeOf: run) }
        return try database.read { db in
            let row = try Row.fetchOne(db, sql: Self.resourceCountsSQL, arguments: [run])
            let known: Int = row?["known"] ?? 0
            let gone: Int = row?["gone"] ?? 0
            return (known - gone, gone)
        }
    }

    /// The query of ``resourceCounts(inScopeOf:)`` (both stores): `?` the run's id.
    static let resourceCountsSQL = """
        SELECT COUNT(*) AS known,
            COALESCE(SUM(CASE WHEN \(KnownResource.latestStateSQL) = \(SnapshotState.gone.sqlLiteral) THEN 1 ELSE 0 END), 0)
                AS gone
        FROM gateway g JOIN run this ON this.id = ?
        WHERE \(sameScope("this", "g"))
            AND (this.kinds IS NULL OR (',' || this.kinds || ',') LIKE ('%,' || g.kind || ',%'))
        """

    /// Rows `a` and `b` (a run's, a resource's) name the same scope: account, cloud, region and project, NULL
    /// equal to NULL (SQLite and PostgreSQL alike).
    private static func sameScope(_ a: String, _ b: String) -> String {
        ["account", "cloud", "region", "project_id"].map { "\(a).\($0) IS NOT DISTINCT FROM \(b).\($0)" }
            .joined(separator: " AND ")
    }

    /// The query of ``latestFinish(of:like:)`` (both stores): `?` the status, then the run's id when given.
    static func latestFinishSQL(like run: Int64?) -> String {
        let like =
            run == nil
            ? ""
            : """
             AND EXISTS (SELECT 1 FROM run this WHERE this.id = ? AND this.scope = r.scope
                AND this.kinds IS NOT DISTINCT FROM r.kinds AND \(sameScope("this", "r")))
            """
        return
            "SELECT r.finished_at FROM run r WHERE r.status = ? AND r.finished_at IS NOT NULL\(like) ORDER BY r.id DESC LIMIT 1"
    }
}
