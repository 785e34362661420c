import Foundation
import GRDB
import GatewayAuditCore

/// One snapshot as the verifier reads it, whatever the store.
struct VerifiedSnapshot {
    let gatewayID: String
    let kind: String
    let id: Int64
    let seq: Int64
    let state: String
    let firstRun: Int64
    let firstSeen: Int64
    let content: String?
    let contentSHA256: String?
    let chainSHA256: String
}

/// One run as the verifier reads it; `record` recomputes its hash from the stored row.
struct VerifiedRun {
    let id: Int64
    let scope: ScopeKey
    let version: Int
    let status: String
    let recordSHA256: String?
    let chainHead: String?
    let record: (_ previous: String) throws -> String
}

/// What ``HistoryVerifier`` reads: snapshots by gateway id and sequence, a snapshot's stored field
/// changes in order, runs by id, and a (scope's) chain head recomputed from the snapshots.
protocol VerificationSource {
    func forEachSnapshot(_ body: (VerifiedSnapshot) throws -> Void) throws
    /// Every change row of a snapshot (events and field changes), by ordinal.
    func changes(snapshot: Int64) throws -> [(change: String, field: String, old: String?, new: String?)]
    func runs() throws -> [VerifiedRun]
    /// The head over `scope` (all when nil); with `sealed`, as that run of the scope sealed it.
    func head(scope: ScopeKey?, sealed: Int64?) throws -> String
    /// Every departure (``ScopeDepartures``), by resource; none when the database predates them.
    func departures() throws -> [VerifiedDeparture]
    /// Runs that resources name (a last-seen mark, a snapshot's first or last run, a failed observation)
    /// but the history does not hold: run id, the first resource naming it, and what names it.
    func missingRuns() throws -> [(run: Int64, gatewayID: String, what: String)]
}

/// The references to runs no `run` row holds (both stores; PostgreSQL's foreign keys forbid them, SQLite's
/// file can be edited), by run and resource.
private let missingRunsSQL = """
    SELECT m.run, m.gateway_id, m.what FROM (
        SELECT g.last_run AS run, g.gateway_id, 'last-seen mark' AS what FROM gateway g
        WHERE g.last_run IS NOT NULL AND NOT EXISTS (SELECT 1 FROM run r WHERE r.id = g.last_run)
        UNION ALL
        SELECT s.first_run, g.gateway_id, 'snapshot ' || s.seq || ' first run' FROM snapshot s
        JOIN gateway g ON g.id = s.gateway WHERE NOT EXISTS (SELECT 1 FROM run r WHERE r.id = s.first_run)
        UNION ALL
        SELECT s.last_run, g.gateway_id, 'snapshot ' || s.seq || ' last run' FROM snapshot s
        JOIN gateway g ON g.id = s.gateway
        WHERE s.last_run IS NOT NULL AND NOT EXISTS (SELECT 1 FROM run r WHERE r.id = s.last_run)
        UNION ALL
        SELECT f.run, g.gateway_id, 'failed observation' FROM failed_observation f
        JOIN gateway g ON g.id = f.gateway WHERE NOT EXISTS (SELECT 1 FROM run r WHERE r.id = f.run)
    ) AS m ORDER BY m.run, m.gateway_id, m.what
    """

/// The snapshot query both stores answer identically, given the expression of the content as JSON text
/// (SQLite's is compressed, ``StoredContent``; one that does not decode reads as NULL and fails its SHA-256).
private func verifiedSnapshotsSQL(content: String) -> String {
    """
    SELECT g.gateway_id, g.kind, s.id, s.seq, s.state, s.first_run, s.first_seen, \(content) AS content,
        s.content_sha256, s.chain_sha256
    FROM snapshot s JOIN gateway g ON g.id = s.gateway ORDER BY g.gateway_id, s.seq
    """
}

private let changesSQL = """
    SELECT change, field, old_value, new_value FROM change WHERE snapshot = ? ORDER BY ordinal
    """

struct SQLiteVerificationSource: VerificationSource {
    let db: Database
    let path: String

    func forEachSnapshot(_ body: (VerifiedSnapshot) throws -> Void) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: verifiedSnapshotsSQL(
                content:
                    "gateway_audit_content_or_null(s.content, \(StoredContent.columns(snapshot: "s", gateway: "g")))"))
        while let row = try rows.next() {
            try body(
                VerifiedSnapshot(
                    gatewayID: row["gateway_id"], kind: row["kind"] ?? "NULL", id: row["id"], seq: row["seq"],
                    state: row["state"] ?? "NULL", firstRun: row["first_run"], firstSeen: row["first_seen"],
                    content: row["content"], contentSHA256: StoredDigest.hex(row["content_sha256"]),
                    chainSHA256: StoredDigest.hex(row["chain_sha256"]) ?? "NULL"))
        }
    }

    func changes(snapshot: Int64) throws -> [(change: String, field: String, old: String?, new: String?)] {
        // One statement prepared for the whole walk: it runs once per snapshot.
        try Row.fetchAll(db.cachedStatement(sql: changesSQL), arguments: [snapshot]).map {
            ($0["change"], $0["field"], $0["old_value"], $0["new_value"])
        }
    }

    func runs() throws -> [VerifiedRun] {
        let path = path
        return try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id").map { row in
            VerifiedRun(
                id: row["id"], scope: ScopeKey(row: row), version: row["record_version"] ?? 1,
                status: row["status"] ?? "NULL", recordSHA256: row["record_sha256"], chainHead: row["chain_head"],
                record: { previous in try RunRecordChain.record(row, previous: previous, path: path) })
        }
    }

    func head(scope: ScopeKey?, sealed: Int64?) throws -> String {
        try RunRecordChain.head(db, scope: scope, sealed: sealed)
    }

    func missingRuns() throws -> [(run: Int64, gatewayID: String, what: String)] {
        try Row.fetchAll(db, sql: missingRunsSQL).map { ($0["run"], $0["gateway_id"], $0["what"]) }
    }

    func departures() throws -> [VerifiedDeparture] {
        guard try db.tableExists("scope_move") else { return [] }
        return try Row.fetchAll(db, sql: verifiedDeparturesSQL).map { row in
            let run: Int64? = row["run_id"]
            return VerifiedDeparture(
                gatewayID: row["gateway_id"], run: row["run"],
                runScope: run.map { _ in
                    ScopeKey(
                        account: row["run_account"], cloud: row["run_cloud"], region: row["run_region"],
                        projectID: row["run_project_id"])
                },
                left: ScopeKey(
                    account: row["left_account"], cloud: row["left_cloud"], region: row["left_region"],
                    projectID: row["left_project_id"]), current: ScopeKey(row: row))
        }
    }
}

struct PostgresVerificationSource: VerificationSource {
    let connection: PGConnection

    func forEachSnapshot(_ body: (VerifiedSnapshot) throws -> Void) throws {
        try connection.execute(
            "DECLARE verified_snapshots NO SCROLL CURSOR FOR " + verifiedSnapshotsSQL(content: "s.content"))
        while true {
            let rows = try connection.rows("FETCH 2000 FROM verified_snapshots")
            if rows.isEmpty { break }
            for row in rows {
                try body(
                    VerifiedSnapshot(
                        gatewayID: try row.text("gateway_id"), kind: try row.text("kind"), id: try row.int("id"),
                        seq: try row.int("seq"), state: try row.text("state"), firstRun: try row.int("first_run"),
                        firstSeen: try row.int("first_seen"), content: try row.optionalText("content"),
                        contentSHA256: try row.optionalText("content_sha256"),
                        chainSHA256: try row.text("chain_sha256")))
            }
        }
        try connection.execute("CLOSE verified_snapshots")
    }

    func changes(snapshot: Int64) throws -> [(change: String, field: String, old: String?, new: String?)] {
        try connection.rows(changesSQL, [snapshot]).map {
            (
                try $0.text("change"), try $0.text("field"), try $0.optionalText("old_value"),
                try $0.optionalText("new_value")
            )
        }
    }

    func runs() throws -> [VerifiedRun] {
        let path = connection.path
        return try connection.rows("SELECT * FROM run ORDER BY id").map { row in
            VerifiedRun(
                id: try row.int("id"), scope: try row.scope(), version: Int(try row.int("record_version")),
                status: try row.text("status"), recordSHA256: try row.optionalText("record_sha256"),
                chainHead: try row.optionalText("chain_head"),
                record: { previous in try PostgresChain.record(row, previous: previous, path: path) })
        }
    }

    func head(scope: ScopeKey?, sealed: Int64?) throws -> String {
        try PostgresChain.head(connection, scope: scope, sealed: sealed)
    }

    func missingRuns() throws -> [(run: Int64, gatewayID: String, what: String)] {
        try connection.rows(missingRunsSQL).map { (try $0.int("run"), try $0.text("gateway_id"), try $0.text("what")) }
    }

    func departures() throws -> [VerifiedDeparture] {
        guard try PostgresSchema.hasTable("scope_move", connection) else { return [] }
        return try connection.rows(verifiedDeparturesSQL).map { row in
            let run = try row.optionalInt("run_id")
            return VerifiedDeparture(
                gatewayID: try row.text("gateway_id"), run: try row.int("run"),
                runScope: try run.map { _ in
                    ScopeKey(
                        account: try row.text("run_account"), cloud: try row.text("run_cloud"),
                        region: try row.text("run_region"), projectID: try row.text("run_project_id"))
                },
                left: ScopeKey(
                    account: try row.text("left_account"), cloud: try row.text("left_cloud"),
                    region: try row.text("left_region"), projectID: try row.text("left_project_id")),
                current: try row.scope())
        }
    }
}
