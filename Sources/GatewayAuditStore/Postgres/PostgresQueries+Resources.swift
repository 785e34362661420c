import Foundation
import GatewayAuditCore

extension PostgresQueries {
    func forEachStatusRow(_ filter: ReportFilter, _ body: (StatusRow) throws -> Void) throws {
        // The open window ends where its resource was last seen (like the open snapshot).
        let (clause, arguments) = filter.pgSQL(
            gateway: "g.gateway_id", from: "COALESCE(w.last_seen, g.last_seen)", to: "w.first_seen")
        try session.stream(
            """
            SELECT g.gateway_id, g.kind, w.seq, w.status, w.first_seen,
                COALESCE(w.last_seen, g.last_seen) AS last_seen, w.first_run, COALESCE(w.last_run, g.last_run) AS last_run,
                g.account, g.cloud, g.region, g.project_id
            FROM status_window w JOIN gateway g ON g.id = w.gateway
            \(clause) ORDER BY g.gateway_id, w.seq
            """, arguments
        ) { row in
            try body(
                StatusRow(
                    gatewayID: GatewayID(try row.text("gateway_id")),
                    kind: try row.stored(ResourceKind.self, "kind", table: "gateway"), seq: try row.int("seq"),
                    status: try row.text("status"), firstSeen: try row.instant("first_seen"),
                    lastSeen: try row.instant("last_seen"), firstRun: try row.int("first_run"),
                    lastRun: try row.int("last_run"), scope: try row.scope()))
        }
    }

    func linkedSnapshots(to target: GatewayID, kind: ResourceKind) throws(StoreError) -> [LinkedSnapshot] {
        let column = kind == .vpnGateway ? "vgw_id" : "cgw_id"
        return try all(
            """
            SELECT g.gateway_id, g.kind, \(PostgresQueries.json("s.content")) ->> 'name' AS name, s.seq, s.first_seen,
                \(Self.lastSeen) AS last_seen
            FROM snapshot s JOIN gateway g ON g.id = s.gateway
            WHERE s.\(column) = ? ORDER BY g.gateway_id, s.seq
            """, [target.rawValue]
        ) { row in
            LinkedSnapshot(
                gatewayID: GatewayID(try row.text("gateway_id")),
                kind: try row.stored(ResourceKind.self, "kind", table: "gateway"), name: try row.optionalText("name"),
                seq: try row.int("seq"), firstSeen: try row.instant("first_seen"),
                lastSeen: try row.instant("last_seen"))
        }
    }

    func anomalies(inRun run: Int64) throws(StoreError) -> [StoredAnomaly] {
        try all(
            """
            SELECT g.gateway_id, s.seq, a.field, a.kind, a.detail
            FROM anomaly a JOIN snapshot s ON s.id = a.snapshot JOIN gateway g ON g.id = s.gateway
            WHERE s.first_run = ? ORDER BY g.gateway_id, s.seq, a.field, a.kind
            """, [run], Self.anomaly)
    }

    func failedObservations(inRun run: Int64) throws(StoreError) -> [FailedObservation] {
        try all(
            """
            SELECT g.gateway_id, f.run, f.observed_at, f.error
            FROM failed_observation f JOIN gateway g ON g.id = f.gateway
            WHERE f.run = ? ORDER BY f.observed_at, g.gateway_id
            """, [run]
        ) { row in
            FailedObservation(
                gatewayID: GatewayID(try row.text("gateway_id")), run: try row.int("run"),
                observedAt: try row.instant("observed_at"), error: try row.text("error"))
        }
    }

    func resourceCounts(inScopeOf run: Int64) throws(StoreError) -> (present: Int, gone: Int) {
        let counts = try all(HistoryQueries.resourceCountsSQL, [run]) { row in
            (known: Int(try row.int("known")), gone: Int(try row.int("gone")))
        }.first
        return ((counts?.known ?? 0) - (counts?.gone ?? 0), counts?.gone ?? 0)
    }

    func latestFinish(of status: RunStatus, like run: Int64?) throws(StoreError) -> Instant? {
        var arguments: [any PGBindable] = [status]
        if let run { arguments.append(run) }
        return try all(HistoryQueries.latestFinishSQL(like: run), arguments) { try $0.instant("finished_at") }.first
    }
}
