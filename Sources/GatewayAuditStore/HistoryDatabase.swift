import Foundation
import GRDB
import GatewayAuditCore

/// The history database: runs, gateways, snapshots, changes and anomalies, behind one injected
/// `DatabaseWriter` (a WAL `DatabasePool` on a file, or a `DatabaseQueue` in memory for tests).
///
/// Opening a file checks it before touching anything: a non-SQLite file, another application's
/// database, a newer schema or a damaged file are refused and left unchanged. Writes run in GRDB's
/// `IMMEDIATE` transactions with `synchronous=FULL`; the role types ``HistoryWriter``,
/// ``HistoryQueries`` and ``HistoryVerifier`` are the only code that speaks SQL.
public struct HistoryDatabase: Sendable {
    /// `PRAGMA application_id` of every gateway-audit database ("GWAU").
    static let applicationID: Int32 = 0x4757_4155

    /// The page cache of the writing connection, in KiB: 32 MiB instead of SQLite's 2 MiB, so a history of
    /// ten thousand resources (20 MiB after a year) stays in it from one batch to the next. A reader's cache
    /// is dropped whenever another connection committed, the writer's is not by its own commits; the prior
    /// states are read on it (``readOnWriter(_:)``). Only pages a run touches are held.
    static let writerCacheKiB = 32_768

    /// Where the history lives: SQLite through GRDB, or PostgreSQL through postgres-nio.
    enum Backend: Sendable {
        case sqlite(any DatabaseWriter)
        case postgres(PostgresSession)
    }

    /// The database file, `:memory:`, or a PostgreSQL URL without its password.
    public let path: String
    /// Whether the file lives on disk (and so has a run-lock file beside it).
    let isFile: Bool
    let backend: Backend
    /// The file as it stood when opened `immutable` (see ``ImmutableRead``); nil otherwise.
    var unchanging: ImmutableRead?
    /// The chain head lines the SQLite writer keeps between seals (shared by every copy of this value).
    let chainHeads = ChainHeadCache()

    /// True when the history lives in PostgreSQL.
    public var isPostgres: Bool {
        if case .postgres = backend { return true }
        return false
    }

    /// The SQLite writer; PostgreSQL histories are served by the `Postgres…` role types instead.
    var writer: any DatabaseWriter {
        get throws(StoreError) {
            guard case .sqlite(let writer) = backend else {
                throw .postgres(location: path, detail: "this operation needs an SQLite database")
            }
            return writer
        }
    }

    var postgres: PostgresSession? {
        if case .postgres(let session) = backend { return session }
        return nil
    }

    /// Whether a second connection can read while one is busy (a file's pool of readers, or a server):
    /// what lets a report read on a thread of its own (``RowPipeline``). An in-memory database has one
    /// connection, which a read nested in a report's row handler would wait for forever.
    var readsInParallel: Bool {
        switch backend {
        case .postgres: true
        case .sqlite(let writer): writer is DatabasePool
        }
    }

    /// Wraps an open PostgreSQL session whose schema is prepared.
    init(postgres session: PostgresSession) {
        self.backend = .postgres(session)
        self.path = session.path
        self.isFile = false
    }

    /// Wraps an already configured writer and applies pending migrations.
    /// - Throws: ``StoreError``.
    init(writer: any DatabaseWriter, path: String, isFile: Bool, migrate: Bool) throws(StoreError) {
        self.backend = .sqlite(writer)
        self.path = path
        self.isFile = isFile
        if migrate {
            try StoreError.mapping(path: path) {
                try Self.retryingBusy {
                    try writer.write { db in try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)") }
                    try Self.migrate(writer)
                }
            }
        }
    }

    /// Opens (and, unless `readOnly`, creates and migrates) the database file at `path`, or the
    /// PostgreSQL database a `postgres://` URL names.
    /// - Throws: ``StoreError``: missing (read-only), not a database, foreign, newer schema, damaged, not
    ///   writable, unreachable; ``StoreError/invalidLocation(detail:)`` for a malformed URL.
    public static func open(path: String, readOnly: Bool = false, busyTimeout: Duration = .seconds(10))
        throws(StoreError) -> HistoryDatabase
    {
        if PostgresLocation.isPostgres(path) {
            let session = PostgresSession(location: try PostgresLocation.parse(path))
            try PostgresSchema.prepare(session, readOnly: readOnly)
            return HistoryDatabase(postgres: session)
        }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        // A folder is no database (reading it failed as "cannot write"); an empty file, to a reading
        // command, holds no history yet (its queries failed with "no such table").
        if exists && isDirectory.boolValue { throw .notADatabase(path: path) }
        if readOnly && (!exists || Self.fileSize(path) == 0) { throw .missing(path: path) }
        // Decided once: the inspection and the connection read the file the same way.
        let immutable = exists ? ImmutableRead(path) : nil
        if exists {
            try checkHeader(path: path)
            if try inspect(path: path, scanForDamage: !readOnly, immutable: immutable), readOnly {
                // Written by an earlier release: a reading command upgrades it in place first, as a writing
                // one does (the queries of this release read this release's schema only).
                do {
                    _ = try open(path: path, readOnly: false, busyTimeout: busyTimeout)
                } catch .readOnly(_, let detail) {
                    throw .upgradeNeeded(path: path, detail: detail)
                }
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout.seconds)
        config.readonly = readOnly
        config.label = "gateway-audit"
        config.prepareDatabase { db in StoredContent.register(db) }
        if readOnly, let read = immutable {
            let queue = try StoreError.mapping(path: path) { try DatabaseQueue(path: read.uri, configuration: config) }
            var database = try HistoryDatabase(writer: queue, path: path, isFile: true, migrate: false)
            database.unchanging = read
            return database
        }
        let pool = try StoreError.mapping(path: path) {
            let pool = try retryingBusy(for: busyTimeout) { try DatabasePool(path: path, configuration: config) }
            // After the pool is open, not in `prepareDatabase`: opening a pool puts the file in WAL mode and
            // then sets `synchronous = NORMAL` on the writer, which would leave commits unsynced (a power
            // loss could take the last nights back). The writer is one connection for the pool's life.
            if !readOnly {
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                    try db.execute(sql: "PRAGMA cache_size = \(-writerCacheKiB)")
                }
                try awaitEarlierRuns(path: path, writer: pool, budget: busyTimeout)
            }
            return pool
        }
        return try HistoryDatabase(writer: pool, path: path, isFile: true, migrate: !readOnly)
    }

    /// The size of the file at `path`; nil when it cannot be read.
    static func fileSize(_ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? UInt64
    }

    /// A new, empty database in memory (tests; no run lock, nothing on disk).
    /// - Throws: ``StoreError``.
    public static func inMemory() throws(StoreError) -> HistoryDatabase {
        var config = Configuration()
        config.prepareDatabase { db in StoredContent.register(db) }
        let queue = try StoreError.mapping(path: ":memory:") { try DatabaseQueue(configuration: config) }
        return try HistoryDatabase(writer: queue, path: ":memory:", isFile: false, migrate: true)
    }

    /// Runs `PRAGMA integrity_check`; returns `["ok"]` for a sound file, else SQLite's findings.
    /// - Throws: ``StoreError`` when the file cannot be read.
    public func integrityCheck() throws(StoreError) -> [String] {
        // PostgreSQL checks its own pages and WAL; there is no file of ours to scan.
        if isPostgres { return ["ok"] }
        return try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The database file's size in bytes, its WAL included (0 in memory).
    /// - Throws: ``StoreError/readOnly(path:detail:)`` when the file cannot be inspected.
    public func fileSize() throws(StoreError) -> Int64 {
        guard isFile else { return 0 }
        var total: Int64 = 0
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            do {
                let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber
                total += size?.int64Value ?? 0
            } catch {
                throw .readOnly(path: file, detail: "cannot read its size: \(error.localizedDescription)")
            }
        }
        return total
    }

    /// Copies the WAL into the main file so the database is one self-contained file.
    /// - Throws: ``StoreError``.
    public func checkpoint() throws(StoreError) {
        guard isFile else { return }
        let writer = try writer
        try StoreError.mapping(path: path) {
            _ = try writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        }
    }

    /// A synchronous read (reports stream rows from a cursor inside it).
    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        let writer = try writer
        return try StoreError.mapping(path: path) { try writer.read(body) }
    }

    /// An asynchronous read: waits without holding a thread of the cooperative pool.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let path = path
        let writer = try writer
        do {
            return try await writer.read(body)
        } catch {
            throw StoreError.mapped(error, path: path)
        }
    }

    /// An asynchronous read on the writer's connection, in one deferred transaction (it takes no write
    /// lock). SQLite drops a reader's whole page cache whenever another connection has committed since its
    /// last read, so a read that follows this process's own writes (the prior states of each batch, which
    /// look at every resource of a night) finds its pages in the writer's cache instead of reading them
    /// all again.
    func readOnWriter<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let path = path
        let writer = try writer
        do {
            return try await writer.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN DEFERRED")
                do {
                    let result = try body(db)
                    try db.execute(sql: "COMMIT")
                    return result
                } catch {
                    try? db.execute(sql: "ROLLBACK")
                    throw error
                }
            }
        } catch {
            throw StoreError.mapped(error, path: path)
        }
    }

    /// An asynchronous write in one `IMMEDIATE` transaction: all or nothing.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let path = path
        let writer = try writer
        do {
            return try await writer.write(body)
        } catch {
            throw StoreError.mapped(error, path: path)
        }
    }
}
