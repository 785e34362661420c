import Foundation
import GRDB
import GatewayAuditCore

extension HistoryDatabase {
    /// Applies pending migrations. Two processes creating the same new database at once (two cron
    /// jobs on the first night) can both see a migration as pending, since GRDB checks before each
    /// migration's transaction: the loser's migration then fails (the table or column exists). It
    /// retries from the new state for as long as the other process makes progress.
    static func migrate(_ writer: any DatabaseWriter) throws {
        var applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                let now = try writer.read { db in try migrator.appliedIdentifiers(db) }
                guard now.isStrictSuperset(of: applied) else { throw error }
                applied = now
            }
        }
    }

    /// Runs `body` again while it fails with `SQLITE_BUSY`, for up to `budget` (the busy timeout).
    /// Processes that create or upgrade one file at once (a cron job and a person, eight collectors of a
    /// new estate) meet locks that SQLite reports at once instead of waiting for (switching a new file to
    /// WAL, say).
    static func retryingBusy<T>(for budget: Duration = .seconds(10), _ body: () throws -> T) throws -> T {
        let deadline = ContinuousClock.now + budget
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline
            {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Refuses a file whose first bytes are not SQLite's header (an empty file is a new database).
    static func checkHeader(path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .readOnly(path: path, detail: "cannot open for reading")
        }
        let header: Data
        do {
            header = try handle.read(upToCount: 16) ?? Data()
            try handle.close()
        } catch {
            throw .readOnly(path: path, detail: "cannot read: \(error.localizedDescription)")
        }
        if header.isEmpty { return }
        if header != Data("SQLite format 3\0".utf8) { throw .notADatabase(path: path) }
    }

    /// Reads the file read-only to refuse foreign, newer or damaged databases before any write.
    /// With `scanForDamage` (before writing), `PRAGMA quick_check` reads the whole file so damage is found
    /// before anything is added; readers skip that scan and meet damage as a read error instead.
    static func inspect(path: String, scanForDamage: Bool) throws(StoreError) {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        try StoreError.mapping(path: path) {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }  // read-only handle: nothing to lose when closing fails
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
                if quick != ["ok"] {
                    throw StoreError.corrupt(path: path, detail: quick.prefix(3).joined(separator: "; "))
                }
            }
        }
    }
}
