import Foundation
import GRDB
import GRDBSQLite
import GatewayAuditCore
import Synchronization

/// The chain head's lines (``RunRecordChain/head(_:scope:sealed:)``) of the scopes an SQLite writer sealed,
/// kept between its runs, so that sealing a run reads only the resources written since the scope's last
/// seal instead of every resource the scope holds (11,688 rows for each night of a year of 10,000).
///
/// A seal hashes the same lines in the same order (gateway ids compared as SQLite's `ORDER BY` compares
/// them), so the head is the same to the byte and `verify` recomputes it from the tables as before. The
/// lines are dropped, and the next seal reads the whole scope again, whenever they might differ from the
/// tables:
/// - another connection committed since (`PRAGMA data_version`, which counts every other connection's
///   commits: another process, the `sqlite3` shell, another ``HistoryDatabase`` on the same file);
/// - a batch ran while a resource of the history was in another scope than its run's (a resource seen
///   again then moves, and departures count in heads), or the copier wrote;
/// - a transaction that sealed rolled back.
///
/// Within those, every change to a scope's lines is a snapshot inserted by ``SnapshotRecorder`` (a new,
/// changed, gone or reappearing resource): its row is re-read at the next seal (``touch(_:)``). A touch
/// that rolls back only re-reads a row that did not change.
final class ChainHeadCache: Sendable {
    /// One line, `gateway_id:link\n`, of resource row `row`; its first `idCount` bytes are the gateway id.
    private struct Line {
        let row: Int64
        let bytes: [UInt8]
        let idCount: Int

        /// This line's gateway id against `id`: negative, zero or positive as it sorts before, with or after it
        /// (bytes, then length: SQLite's `BINARY`, which orders the head's query).
        func compare(id: UnsafeRawBufferPointer) -> Int {
            bytes.withUnsafeBytes { mine in
                let shared = min(idCount, id.count)
                guard shared > 0, let left = mine.baseAddress, let right = id.baseAddress else {
                    return idCount - id.count
                }
                let order = memcmp(left, right, shared)
                return order != 0 ? Int(order) : idCount - id.count
            }
        }
    }

    /// A scope's lines in head order, as of `dataVersion`, and the rows touched since.
    private struct Kept {
        var dataVersion: Int64
        var lines: [Line]
        var pending: Set<Int64> = []
    }

    private let scopes = Mutex<[ScopeKey: Kept]>([:])

    init() {}

    /// Rows whose snapshots a batch inserted: re-read at the next seal of each kept scope.
    func touch(_ rows: [Int64]) {
        guard !rows.isEmpty else { return }
        scopes.withLock { kept in
            for scope in kept.keys { kept[scope]?.pending.formUnion(rows) }
        }
    }

    /// How many scopes' lines are kept.
    var keptScopes: Int { scopes.withLock { $0.count } }

    /// Drops every scope's lines: the next seal of each reads its scope whole.
    func invalidate() {
        scopes.withLock { $0.removeAll() }
    }

    /// The chain head of `scope` over the open transaction's tables, from the kept lines when they are
    /// still those of the tables, else from a read of the whole scope; the lines are kept for the next seal.
    func head(_ db: Database, scope: ScopeKey) throws -> String {
        let dataVersion = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        let taken = scopes.withLock { $0.removeValue(forKey: scope) }
        var lines: [Line]
        if let taken, taken.dataVersion == dataVersion {
            lines = taken.lines
            try Self.update(&lines, rows: taken.pending, scope: scope, db)
        } else {
            lines = try Self.read(scope, db)
        }
        var hasher = HeadHasher()
        for line in lines { hasher.add { $0.append(contentsOf: line.bytes) } }
        // Kept at once, so that a batch later in the same transaction (a run recorded whole seals the runs a
        // killed process left first) touches them; dropped, all of them, if the transaction rolls back.
        scopes.withLock { $0[scope] = Kept(dataVersion: dataVersion, lines: lines) }
        db.afterNextTransaction(onCommit: { _ in }, onRollback: { [self] _ in invalidate() })
        return hasher.finalize()
    }

    /// Every line of `scope`, in head order (the query ``RunRecordChain/head(_:scope:sealed:)`` runs,
    /// with each line's row).
    private static func read(_ scope: ScopeKey, _ db: Database) throws -> [Line] {
        let (condition, arguments) = scope.sqlCondition("g")
        let statement = try db.cachedStatement(
            sql: """
                SELECT g.gateway_id, s.chain_sha256, g.id FROM gateway g
                JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                WHERE \(condition)
                ORDER BY 1
                """)
        var lines: [Line] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        let sqlite = statement.sqliteStatement
        while try rows.next() != nil {
            lines.append(try line(sqlite))
        }
        return lines
    }

    /// Brings `lines` up to date with the tables for resource rows `rows`: a row of the scope with an open
    /// snapshot has its line (its link replaced, or inserted in order), any other has none. Each row's place
    /// is found by its gateway id (the lines are in id order), so a seal costs a few steps per touched row.
    private static func update(_ lines: inout [Line], rows: Set<Int64>, scope: ScopeKey, _ db: Database) throws {
        let (condition, scoped) = scope.sqlCondition("g")
        let all = Array(rows)
        for start in stride(from: 0, to: all.count, by: 500) {
            let slice = all[start..<min(start + 500, all.count)]
            let statement = try db.cachedStatement(
                sql: """
                    SELECT g.gateway_id, s.chain_sha256, g.id, s.id IS NOT NULL AND \(condition) FROM gateway g
                    LEFT JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                    WHERE g.id IN (\(SQLList.placeholders(slice.count)))
                    """)
            var arguments = scoped
            arguments += StatementArguments(Array(slice))
            let cursor = try Row.fetchCursor(statement, arguments: arguments)
            let sqlite = statement.sqliteStatement
            while try cursor.next() != nil {
                let kept = sqlite3_column_int64(sqlite, 3) != 0
                let line = kept ? try line(sqlite) : nil
                guard let id = sqlite3_column_text(sqlite, 0) else { throw RunRecordChain.missingLine }
                let (index, found) = position(
                    of: UnsafeRawBufferPointer(start: id, count: Int(sqlite3_column_bytes(sqlite, 0))), in: lines)
                switch (line, found) {
                case (let line?, true): lines[index] = line
                case (let line?, false): lines.insert(line, at: index)
                case (nil, true): lines.remove(at: index)
                case (nil, false): break
                }
            }
        }
    }

    /// Where gateway id `id` is in `lines` (ordered by id), or where it would go.
    private static func position(of id: UnsafeRawBufferPointer, in lines: [Line]) -> (index: Int, found: Bool) {
        var low = 0
        var high = lines.count
        while low < high {
            let middle = (low + high) / 2
            let order = lines[middle].compare(id: id)
            if order == 0 { return (middle, true) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }

    /// The current row of `sqlite` (gateway id, link, row id) as a line.
    private static func line(_ sqlite: SQLiteStatement) throws -> Line {
        var bytes: [UInt8] = []
        let idCount = try RunRecordChain.appendLine(sqlite, to: &bytes)
        return Line(row: sqlite3_column_int64(sqlite, 2), bytes: bytes, idCount: idCount)
    }
}
