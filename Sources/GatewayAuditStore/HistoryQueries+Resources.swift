import Foundation
import GRDB
import GatewayAuditCore

extension HistoryQueries {
    public func forEachStatusRow(_ filter: ReportFilter, _ body: (StatusRow) throws -> Void) throws {
        if let postgres { return try postgres.forEachStatusRow(filter, body) }
        // The open window ends where its resource was last seen (like the open snapshot).
        let (clause, arguments) = filter.sql(
            gateway: "g.gateway_id", from: "COALESCE(w.last_seen, g.last_seen)", to: "w.first_seen")
        let path = database.path
        try stream(
            sql: """
                SELECT g.gateway_id, g.kind, w.seq, w.status, w.first_seen,
                    COALESCE(w.last_seen, g.last_seen) AS last_seen, w.first_run, COALESCE(w.last_run, g.last_run) AS last_run,
                    g.account, g.cloud, g.region, g.project_id
                FROM status_window w JOIN gateway g ON g.id = w.gateway
                \(clause) ORDER BY g.gateway_id, w.seq
                """, arguments: arguments
        ) { row in
            try body(
                StatusRow(
                    gatewayID: GatewayID(row["gateway_id"]),
                    kind: try row.stored(ResourceKind.self, "kind", table: "gateway", path: path), seq: row["seq"],
                    status: row["status"], firstSeen: row.instant("first_seen"), lastSeen: row.instant("last_seen"),
                    firstRun: row["first_run"], lastRun: row["last_run"], scope: ScopeKey(row: row)))
        }
    }

    public func linkedSnapshots(to target: GatewayID, kind: ResourceKind) throws(StoreError) -> [LinkedSnapshot] {
        if let postgres { return try postgres.linkedSnapshots(to: target, kind: kind) }
        let column = kind == .vpnGateway ? "vgw_id" : "cgw_id"
        let path = database.path
        var result: [LinkedSnapshot] = []
        do {
            try stream(
                sql: """
                    SELECT g.gateway_id, g.kind, json_extract(\(StoredContent.json(snapshot: "s", gateway: "g")), '$.name') AS name, s.seq, s.first_seen,
                        \(Self.lastSeen) AS last_seen
                    FROM snapshot s JOIN gateway g ON g.id = s.gateway
                    WHERE s.\(column) = ? ORDER BY g.gateway_id, s.seq
                    """, arguments: [target.rawValue]
            ) { row in
                result.append(
                    LinkedSnapshot(
                        gatewayID: GatewayID(row["gateway_id"]),
                        kind: try row.stored(ResourceKind.self, "kind", table: "gateway", path: path),
                        name: row["name"], seq: row["seq"], firstSeen: row.instant("first_seen"),
                        lastSeen: row.instant("last_seen")))
            }
        } catch {
            throw StoreError.mapped(error, path: path)
        }
        return result
    }
}
