import Foundation
import GRDB

/// The history database: runs, gateways, snapshots, changes and anomalies in one SQLite file.
///
/// WAL journal, `synchronous=FULL`, a busy timeout, and every write in a `BEGIN IMMEDIATE`
/// transaction; a collection run additionally holds an exclusive lock file so two overlapping runs
/// never interleave. The only type in the package that speaks SQL.
public final class SQLiteStore: Sendable {
    /// `PRAGMA application_id` of every gateway-audit database ("GWAU").
    static let applicationID: Int32 = 0x4757_4155

    /// The database file path.
    public let path: String
    let pool: DatabasePool

    /// Opens (and, unless `readOnly`, creates and migrates) the database at `path`.
    ///
    /// Checks before touching anything: a non-SQLite file, another application's database, a newer
    /// schema or a damaged file are refused and left unchanged.
    /// - Throws: ``StoreError``.
    public init(path: String, readOnly: Bool = false, busyTimeout: Double = 10) throws(StoreError) {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if readOnly && !exists { throw .missing(path: path) }
        if exists { try SQLiteStore.checkHeader(path: path) }

        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.readonly = readOnly
        config.label = "gateway-audit"
        config.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        }
        if exists {
            try SQLiteStore.inspect(path: path, scanForDamage: !readOnly)
        }
        pool = try SQLiteStore.mapErrors(path: path) {
            let pool = try DatabasePool(path: path, configuration: config)
            if !readOnly {
                try pool.write { db in
                    try db.execute(sql: "PRAGMA application_id = \(SQLiteStore.applicationID)")
                }
                try SQLiteStore.migrate(pool)
            }
            return pool
        }
    }

    /// Runs `PRAGMA integrity_check`; returns `["ok"]` for a sound file, else SQLite's findings.
    /// - Throws: ``StoreError`` when the file cannot be read.
    public func integrityCheck() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The database file's size in bytes, its WAL included.
    public func fileSize() -> Int64 {
        let manager = FileManager.default
        return [path, path + "-wal"].reduce(Int64(0)) { total, file in
            let size = (try? manager.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }

    /// Copies the WAL into the main file so the database is one self-contained file.
    /// - Throws: ``StoreError``.
    public func checkpoint() throws(StoreError) {
        try SQLiteStore.mapErrors(path: path) { _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) } }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try SQLiteStore.mapErrors(path: path) { try pool.read(body) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try SQLiteStore.mapErrors(path: path) {
            try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError.sqlite(path: path, detail: "transaction produced no result") }
                return result
            }
        }
    }

    /// Runs `body`, turning SQLite and other errors into ``StoreError`` (which passes through).
    static func mapErrors<T>(path: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw map(error, path: path)
        } catch {
            throw .sqlite(path: path, detail: "\(error)")
        }
    }

    /// Applies pending migrations. Two processes creating the same new database at once (two cron
    /// jobs on the first night) can both see a migration as pending, since GRDB checks before each
    /// migration's transaction: the loser's migration then fails (the table or column exists). It
    /// retries from the new state for as long as the other process makes progress.
    private static func migrate(_ pool: DatabasePool) throws {
        var applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
        while true {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                let now = try pool.read { db in try migrator.appliedIdentifiers(db) }
                guard now.isStrictSuperset(of: applied) else { throw error }
                applied = now
            }
        }
    }

    private static func checkHeader(path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .readOnly(path: path, detail: "cannot open for reading")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }
        if header != Data("SQLite format 3\0".utf8) { throw .notADatabase(path: path) }
    }

    /// Reads the file read-only to refuse foreign, newer or damaged databases before any write.
    /// With `scanForDamage` (before writing), `PRAGMA quick_check` reads the whole file so damage is found
    /// before anything is added; readers skip that scan and meet damage as a read error instead.
    private static func inspect(path: String, scanForDamage: Bool) throws(StoreError) {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        try mapErrors(path: path) {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            try queue.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return }
                let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                if appID != applicationID { throw StoreError.foreignDatabase(path: path) }
                let applied = try migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(migrator.migrations).sorted()
                if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
                guard scanForDamage else { return }
                let quick = try String.fetchAll(db, sql: "PRAGMA quick_check")
                if quick != ["ok"] { throw StoreError.corrupt(path: path, detail: quick.prefix(3).joined(separator: "; ")) }
            }
        }
    }

    static func map(_ error: DatabaseError, path: String) -> StoreError {
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notADatabase(path: path)
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: detail)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH: return .readOnly(path: path, detail: detail)
        case .SQLITE_FULL: return .full(path: path, detail: detail)
        // A full disk or a file-size limit (`ulimit -f`) shows as a failed write, or as a WAL index
        // (`-shm`) that cannot grow.
        case .SQLITE_IOERR
        where error.extendedResultCode == .SQLITE_IOERR_WRITE || error.extendedResultCode == .SQLITE_IOERR_SHMSIZE:
            return .full(path: path, detail: detail)
        default: return .sqlite(path: path, detail: detail)
        }
    }
}
