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
    /// - Throws: ``StoreError``.
    public func latestFinish(of status: RunStatus) throws(StoreError) -> Instant? {
        if let postgres { return try postgres.latestFinish(of: status) }
        return try database.read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT finished_at FROM run WHERE status = ? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1",
                arguments: [status]
            ).map { $0.instant("finished_at") }
        }
    }
}
