import Foundation
import GatewayAuditCore

extension PostgresWriter {
    /// ``HistoryWriter/priorStates(for:)`` over PostgreSQL: one query per 500 ids, then the last present
    /// content only for resources whose content differs.
    func priorStates(for observations: [Observation]) async throws(StoreError) -> [PriorState] {
        let session = session
        return try await session.offload { () throws(StoreError) -> [PriorState] in
            try session.transaction(readOnly: true) { connection in try Self.read(observations, connection) }
        }
    }

    private typealias Known = PriorState.Known

    private static func read(_ observations: [Observation], _ connection: PGConnection) throws -> [PriorState] {
        var known: [GatewayID: Known] = [:]
        let ids = observations.map(\.gatewayID.rawValue)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[start..<min(start + 500, ids.count)])
            let rows = try connection.rows(
                """
                SELECT g.gateway_id, g.id AS gateway_row, g.kind, s.id AS snapshot_row, s.seq, s.state,
                    s.content_sha256, s.chain_sha256, g.last_run, g.last_seen, g.status
                FROM gateway g LEFT JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                WHERE g.gateway_id IN (\(SQLList.placeholders(slice.count)))
                """, slice)
            for row in rows {
                let status = try row.optionalText("status")
                var latest: PriorState.Latest?
                if let snapshot = try row.optionalInt("snapshot_row") {
                    latest = PriorState.Latest(
                        snapshotRow: snapshot, seq: try row.int("seq"),
                        state: try row.stored(SnapshotState.self, "state", table: "snapshot"),
                        contentDigest: try row.optionalText("content_sha256").map(StoredHash.text),
                        chainDigest: .text(try row.text("chain_sha256")),
                        lastRun: try row.optionalInt("last_run"), lastSeen: try row.optionalInt("last_seen"))
                }
                known[GatewayID(try row.text("gateway_id"))] = (
                    try row.int("gateway_row"), try row.stored(ResourceKind.self, "kind", table: "gateway"), latest,
                    status
                )
            }
        }
        return try observations.map { observation in
            try PriorState.of(observation, known: known[observation.gatewayID]) { row, kind in
                let content = try connection.rows(
                    "SELECT content FROM snapshot WHERE gateway = ? AND state = ? ORDER BY seq DESC LIMIT 1",
                    [row, SnapshotState.present]
                ).first?.optionalText("content")
                return try content.map { try Resource(kind: kind, data: Data($0.utf8)) }
            }
        }
    }
}
