import Crypto
import Foundation
import GRDB

/// The hash chain over finished runs and the history's chain head (one SHA-256 over every gateway's
/// latest snapshot link).
enum RunRecordChain {
    /// SHA-256 over `gateway_id:link` lines of every gateway's latest snapshot, by gateway id.
    static func head(_ db: Database) throws -> String {
        var hasher = SHA256()
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT g.gateway_id, s.chain_sha256 FROM gateway g
                JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                ORDER BY g.gateway_id
                """)
        while let row = try rows.next() {
            let line = (row[0] as String) + ":" + (row[1] as String) + "\n"
            hasher.update(data: Data(line.utf8))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The record hash of a run row (all columns but `record_sha256`), chained to the previous run's.
    static func record(_ row: Row, previous: String) -> String {
        var fields = [previous]
        for column in ["id", "started_at", "finished_at", "status", "endpoint", "project_id", "tool_version", "scope",
            "observed", "unchanged", "changed", "new", "gone", "failed", "message", "chain_head"]
        {
            let value: DatabaseValue = row[column]
            fields.append(value.isNull ? "\u{0}" : "\(value)")
        }
        return SHA256.hexDigest(of: Data(fields.joined(separator: "\n").utf8))
    }

    /// Seals run `id`: stores the current chain head and its record hash.
    static func seal(run id: Int64, _ db: Database) throws {
        let head = try head(db)
        try db.execute(sql: "UPDATE run SET chain_head = ? WHERE id = ?", arguments: [head, id])
        let previous = try String.fetchOne(
            db, sql: "SELECT record_sha256 FROM run WHERE id < ? AND record_sha256 IS NOT NULL ORDER BY id DESC LIMIT 1",
            arguments: [id]) ?? ""
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]) else { return }
        try db.execute(sql: "UPDATE run SET record_sha256 = ? WHERE id = ?", arguments: [record(row, previous: previous), id])
    }
}
