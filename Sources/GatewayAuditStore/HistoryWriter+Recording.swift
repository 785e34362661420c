import Foundation
import GRDB
import GRDBSQLite
import GatewayAuditCore

extension HistoryWriter {
    /// What the history holds about each observation's gateway, in order: its row, its latest snapshot
    /// and, when the observation brings different content, the last present content to diff against.
    /// - Throws: ``StoreError``; ``StoreError/invalidBatch(detail:)`` when an id appears twice.
    public func priorStates(for observations: [Observation]) async throws(StoreError) -> [PriorState] {
        // Each id's position in the batch: the duplicate check, and where the SQLite read puts its row.
        let positions = try BatchPositions(observations)
        if let session = database.postgres {
            return try await PostgresWriter(session: session).priorStates(for: observations)
        }
        let path = database.path
        let read: @Sendable (Database) throws -> [PriorState] = { db in
            var reader = PriorStateReader(db: db, path: path)
            return try reader.read(observations, positions: positions)
        }
        // A large batch (a night recorded whole, an import) reads on the writer's connection, whose page
        // cache still holds the pages the night before wrote and read (``HistoryDatabase/readOnWriter(_:)``):
        // 5–6 % of a year's night. The collector's batches of 100 read a few pages each, on a reader, where
        // they overlap the batch another scope of an estate is writing.
        if observations.count >= Self.writerReadMinimum { return try await database.readOnWriter(read) }
        return try await database.read(read)
    }

    /// The smallest batch whose prior states are read on the writer's connection.
    static let writerReadMinimum = 1_000

    /// Records a batch in one transaction: all or nothing. Each write carries the prior state read for
    /// it by ``priorStates(for:)`` under the same run, and the changes and anomalies derived from it.
    /// - Returns: the outcome of each observation, in order.
    /// - Throws: ``StoreError``; on error nothing of the batch is stored.
    public func record(_ writes: [SnapshotWrite], in run: ActiveRun) async throws(StoreError) -> [ObservationOutcome] {
        if let session = database.postgres {
            return try await PostgresWriter(session: session).record(writes, in: run)
        }
        let id = run.id
        let scope = run.scope
        let path = database.path
        let heads = heads
        return try await database.write { db in
            try Self.reportingConflicts(path: path) { try Self.record(writes, run: id, scope: scope, heads: heads, db) }
        }
    }

    /// Runs `body`, which records prior states read in an earlier transaction: a unique conflict, or a latest
    /// snapshot closed since, means another run wrote some of the same resources in between (SQLite has one
    /// writer, so nothing else can), and becomes ``StoreError/concurrentWrite(path:detail:)`` (the
    /// transaction is rolled back).
    static func reportingConflicts<T>(path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where StoreError.isConflict(error) {
            throw StoreError.concurrentWrite(path: path, detail: error.message ?? "\(error.resultCode)")
        } catch let stale as StalePriorState {
            throw StoreError.concurrentWrite(path: path, detail: stale.detail)
        }
    }

    /// Records a batch of running run `id` of `scope` in the open transaction, and tells `heads` which
    /// resources' chain head lines it changed.
    static func record(
        _ writes: [SnapshotWrite], run id: Int64, scope: ScopeKey, heads: ChainHeadCache, _ db: Database
    ) throws
        -> [ObservationOutcome]
    {
        let status = try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [id])
        guard status == RunStatus.running.rawValue else { throw StoreError.runNotActive(id: id) }
        // The departures first: the rows' scopes and current links before any write of the batch
        // (flush and assign give them the run's scope).
        // When every resource of the history is in the run's scope, none seen again can move (flush
        // skips its scope pass).
        let anyOtherScope = try ScopeDepartures.record(writes, run: id, scope: scope, db)
        var recorder = try SnapshotRecorder(
            db: db, run: id, scope: scope, writes: writes, movesScopes: anyOtherScope)
        let batch = try RecordedBatch.recording(writes) { try recorder.record($0) }
        try recorder.flush()
        // A batch where resources may move between scopes changes lines of other scopes' heads (departures
        // included): every kept scope is read whole at its next seal.
        if anyOtherScope { heads.invalidate() } else { heads.touch(recorder.snapshotRows) }
        try db.execute(
            sql: """
                UPDATE run SET observed = observed + ?, unchanged = unchanged + ?, changed = changed + ?,
                    new = new + ?, gone = gone + ?, failed = failed + ? WHERE id = ?
                """,
            arguments: [
                batch.counts.observed, batch.counts.unchanged, batch.counts.changed, batch.counts.new,
                batch.counts.gone, batch.counts.failed, id,
            ])
        // Resources seen again had their scope set by flush's scope pass. The others get
        // it here, also when every resource was in the run's scope: a gone or failed observation of an
        // id never seen inserts an unscoped row.
        try Self.assign(batch.rescoped, to: scope, db)
        return batch.outcomes
    }
}

extension HistoryWriter {
    /// Gives the observed gateways the scope of the run that observed them (new rows start unscoped;
    /// a gateway seen by another scope moves to it).
    static func assign(_ gatewayIDs: [String], to scope: ScopeKey, _ db: Database) throws {
        for start in stride(from: 0, to: gatewayIDs.count, by: 500) {
            let slice = gatewayIDs[start..<min(start + 500, gatewayIDs.count)]
            // Prepared once per batch size (every full slice has the same text).
            try db.cachedStatement(
                sql: """
                    UPDATE gateway SET account = ?, cloud = ?, region = ?, project_id = ?
                    WHERE gateway_id IN (\(SQLList.placeholders(slice.count)))
                        AND NOT (account = ? AND cloud = ? AND region = ? AND project_id = ?)
                    """
            ).execute(
                arguments: StatementArguments(
                    [scope.account, scope.cloud, scope.region, scope.projectID] + Array(slice)
                        + [scope.account, scope.cloud, scope.region, scope.projectID]))
        }
    }
}

/// Reads prior states for a batch: the rows and latest snapshots (one query per 500 ids, or one pass over
/// all rows for a batch of a quarter of the history or more), then the last present content only for
/// gateways whose content differs.
///
/// The rows are read from SQLite's own values (this runs for every resource every night): the id's bytes
/// find its position in the batch with no string made (``BatchPositions``), and the open snapshot's digests
/// are kept as their bytes (``StoredHash``), made into hex only when a new snapshot links to them.
private struct PriorStateReader {
    let db: Database
    let path: String

    private typealias Known = PriorState.Known

    mutating func read(_ observations: [Observation], positions: BatchPositions) throws -> [PriorState] {
        var known = [Known?](repeating: nil, count: observations.count)
        // Columns by position, read in `keep`.
        let select = """
            SELECT g.gateway_id, g.id, g.kind, s.id, s.seq, s.state, s.content_sha256, s.chain_sha256,
                g.last_run, g.last_seen, g.status
            FROM gateway g LEFT JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
            """
        func keepRows(_ statement: Statement, _ arguments: StatementArguments = StatementArguments()) throws {
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            let sqlite = statement.sqliteStatement
            while try rows.next() != nil {
                guard let position = positions.position(of: Self.bytes(sqlite, 0)) else { continue }
                known[position] = try keep(sqlite)
            }
        }
        // A batch of a quarter of the history or more (a night recorded in one batch, an import) reads
        // every row in one pass, which costs SQLite a third of looking each id up in the unique index;
        // the rows of ids not in the batch are dropped.
        let rows = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM gateway") ?? 0
        if observations.count >= 64, Int64(observations.count) * 4 >= rows {
            try keepRows(db.cachedStatement(sql: select))
        } else {
            for start in stride(from: 0, to: observations.count, by: 500) {
                let slice = observations[start..<min(start + 500, observations.count)]
                try keepRows(
                    db.cachedStatement(
                        sql: select + " WHERE g.gateway_id IN (\(SQLList.placeholders(slice.count)))"),
                    StatementArguments(slice.map(\.gatewayID.rawValue)))
            }
        }
        return try observations.indices.map { index in
            try PriorState.of(observations[index], known: known[index]) { row, kind in
                try lastPresentContent(row, kind: kind)
            }
        }
    }

    /// The current row of `sqlite`, a row of the select in ``read(_:positions:)``.
    private func keep(_ sqlite: SQLiteStatement) throws(StoreError) -> Known {
        let kindBytes = Self.bytes(sqlite, 2)
        guard let kind = ResourceKind.allCases.first(where: { $0.rawValue.utf8.elementsEqual(kindBytes) }) else {
            throw .unknownValue(path: path, table: "gateway", column: "kind", value: Self.text(sqlite, 2) ?? "NULL")
        }
        var latest: PriorState.Latest?
        if sqlite3_column_type(sqlite, 3) != SQLITE_NULL {
            let stateText = Self.text(sqlite, 5)
            guard let state = stateText.flatMap(SnapshotState.init(rawValue:)) else {
                throw .unknownValue(path: path, table: "snapshot", column: "state", value: stateText ?? "NULL")
            }
            latest = PriorState.Latest(
                snapshotRow: sqlite3_column_int64(sqlite, 3), seq: sqlite3_column_int64(sqlite, 4), state: state,
                contentDigest: StoredHash(sqlite, column: 6), chainDigest: StoredHash(sqlite, column: 7) ?? .text(""),
                lastRun: Self.integer(sqlite, 8), lastSeen: Self.integer(sqlite, 9))
        }
        return (sqlite3_column_int64(sqlite, 1), kind, latest, Self.text(sqlite, 10))
    }

    /// Column `column`'s text bytes, valid until the next step (empty for NULL).
    private static func bytes(_ sqlite: SQLiteStatement, _ column: Int32) -> UnsafeRawBufferPointer {
        // SQLite's safe order: the value, then its length.
        guard let text = sqlite3_column_text(sqlite, column) else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(sqlite, column)))
    }

    private static func text(_ sqlite: SQLiteStatement, _ column: Int32) -> String? {
        guard sqlite3_column_type(sqlite, column) != SQLITE_NULL else { return nil }
        return String(decoding: bytes(sqlite, column), as: UTF8.self)
    }

    private static func integer(_ sqlite: SQLiteStatement, _ column: Int32) -> Int64? {
        sqlite3_column_type(sqlite, column) == SQLITE_NULL ? nil : sqlite3_column_int64(sqlite, column)
    }

    private func lastPresentContent(_ gateway: Int64, kind: ResourceKind) throws -> Resource? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT \(StoredContent.json(snapshot: "s", gateway: "g")) FROM snapshot s JOIN gateway g ON g.id = s.gateway
                WHERE s.gateway = ? AND s.state = ? ORDER BY s.seq DESC LIMIT 1
                """)
        guard let content = try String.fetchOne(statement, arguments: [gateway, SnapshotState.present]) else {
            return nil
        }
        return try Resource(kind: kind, data: Data(content.utf8))
    }
}
