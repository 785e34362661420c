import Crypto
import Foundation
import GatewayAuditCore

/// ``RunRecordChain`` over a PostgreSQL history: the same heads and record hashes, byte for byte.
enum PostgresChain {
    /// SHA-256 over `gateway_id:link` lines of every gateway's latest snapshot (of `scope` when given),
    /// by gateway id in byte order (the columns collate as "C", like SQLite's BINARY).
    /// With `sealed`, as that run of `scope` sealed it (``RunRecordChain/head(_:scope:sealed:)``).
    static func head(_ connection: PGConnection, scope: ScopeKey? = nil, sealed: Int64? = nil) throws -> String {
        var hasher = SHA256()
        let (condition, scoped) = scope.map { $0.pgCondition("g") } ?? ("TRUE", [])
        var arguments = scoped
        var departed = ""
        if let scope, let sealed, try PostgresSchema.hasTable("scope_move", connection) {
            departed = " UNION ALL " + ScopeDepartures.departedSQL
            arguments += [scope.account, scope.cloud, scope.region, scope.projectID, sealed] as [any PGBindable]
        }
        let rows = try connection.rows(
            """
            SELECT g.gateway_id, s.chain_sha256 FROM gateway g
            JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
            WHERE \(condition)\(departed) ORDER BY 1
            """, arguments)
        for row in rows {
            hasher.update(data: Data((try row.text("gateway_id") + ":" + row.text("chain_sha256") + "\n").utf8))
        }
        return hasher.finalize().hexString
    }

    /// The record hash of a stored run row.
    static func record(_ row: PGRow, previous: String, path: String) throws -> String {
        let version = Int(try row.int("record_version"))
        return try RunRecordChain.record(version: version, previous: previous, path: path) {
            (column) throws(StoreError) -> RunRecordField in
            do {
                return try row.field(column)
            } catch {
                throw StoreError.mapped(error, path: path)
            }
        }
    }

    /// Seals run `id` exactly as ``RunRecordChain/seal(run:_:path:)`` does.
    static func seal(run id: Int64, _ connection: PGConnection) throws {
        guard let stored = try connection.rows("SELECT * FROM run WHERE id = ?", [id]).first else { return }
        let scoped = RunRecordChain.isScoped(version: Int(try stored.int("record_version")))
        let scope = try stored.scope()
        // After any departure from the scope another run's batch is writing (PostgresDepartures).
        try PostgresDepartures.lockSeal(of: scope, connection)
        let head = try head(connection, scope: scoped ? scope : nil)
        try connection.execute("UPDATE run SET chain_head = ? WHERE id = ?", [head, id])
        let (condition, arguments) = scoped ? scope.pgCondition() : ("TRUE", [])
        let previous =
            try connection.rows(
                """
                SELECT record_sha256 FROM run WHERE id < ? AND record_sha256 IS NOT NULL AND \(condition)
                ORDER BY id DESC LIMIT 1
                """, [id] + arguments
            ).first?.text("record_sha256") ?? ""
        guard let row = try connection.rows("SELECT * FROM run WHERE id = ?", [id]).first else { return }
        let record = try record(row, previous: previous, path: connection.path)
        try connection.execute("UPDATE run SET record_sha256 = ? WHERE id = ?", [record, id])
    }
}

extension PGRow {
    /// A column as the record hash sees it: BIGINT columns as integers, the others as text.
    func field(_ column: String) throws -> RunRecordField {
        // A column the database does not have yet (read without upgrading) is NULL, as its migration leaves it.
        guard has(column) else { return .null }
        let cell = cells[column]
        if cell.bytes == nil { return .null }
        if cell.dataType == .int8 || cell.dataType == .int4 || cell.dataType == .int2 {
            return .int64(try cell.decode(Int64.self))
        }
        return .string(try cell.decode(String.self))
    }
}

extension ScopeKey {
    /// `account = ? AND cloud = ? AND region = ? AND project_id = ?` on `alias`, with its arguments.
    func pgCondition(_ alias: String = "") -> (String, [any PGBindable]) {
        let prefix = alias.isEmpty ? "" : alias + "."
        return (
            "\(prefix)account = ? AND \(prefix)cloud = ? AND \(prefix)region = ? AND \(prefix)project_id = ?",
            [account, cloud, region, projectID]
        )
    }
}
