import Foundation
import GRDB
import GatewayAuditCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

    /// Waits up to `budget` while migration `v7-compact` or `v8-deflate` is still to come and a run holds one
    /// of the file's run locks: that run is an earlier release's (a run of this release opens, and so
    /// migrates, before it locks), which reads the digests and contents as text and would chain links and
    /// seal a head from the bytes the migrations write. Only a run already going is seen; README ("Proving an export") says to stop the
    /// earlier release's collectors before upgrading.
    /// - Throws: ``StoreError/earlierReleaseRunning(path:lockFile:)`` when a run still holds its lock after
    ///   `budget`.
    static func awaitEarlierRuns(path: String, writer: any DatabaseWriter, budget: Duration) throws {
        // Read again at each look: a run of this release that started beside this one may have converted
        // the file and taken its lock meanwhile, which is no reason to wait.
        func pending() throws -> Bool {
            let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
            return !applied.isEmpty && !applied.isSuperset(of: ["v7-compact", "v8-deflate"])
        }
        let deadline = ContinuousClock.now + budget
        while try pending(), let lockFile = heldRunLock(path: path) {
            guard ContinuousClock.now < deadline else {
                throw StoreError.earlierReleaseRunning(path: path, lockFile: lockFile)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// The first of the file's run lock files (``RunLock/lockPath(databasePath:scope:)``: `<file>.<16 hex
    /// digits>.lock` beside it) that another open file description holds; nil when none is held.
    static func heldRunLock(path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        for name in names
        where name.hasPrefix(prefix) && name.hasSuffix(".lock") && name.utf8.count == prefix.utf8.count + 21 {
            let file = (folder as NSString).appendingPathComponent(name)
            let fd = openForLocking(file)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return file }
            flock(fd, LOCK_UN)
        }
        return nil
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
    /// before anything is added; readers skip that scan and meet damage as a read error instead. With
    /// `immutable`, the file is read through its URI (a folder SQLite cannot share the file in).
    /// - Returns: whether the file was written by an earlier release (migrations of this one not applied).
    @discardableResult
    static func inspect(path: String, scanForDamage: Bool, immutable: ImmutableRead? = nil) throws(StoreError)
        -> Bool
    {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        return try StoreError.mapping(path: path) {
            let queue = try DatabaseQueue(path: immutable?.uri ?? path, configuration: config)
            defer { try? queue.close() }  // read-only handle: nothing to lose when closing fails
            return try queue.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return false }
                let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                if appID != applicationID { throw StoreError.foreignDatabase(path: path) }
                let applied = try migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(migrator.migrations).sorted()
                if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
                let earlier = !Set(migrator.migrations).isSubset(of: applied)
                guard scanForDamage else { return earlier }
                let quick = try String.fetchAll(db, sql: "PRAGMA quick_check")
                if quick != ["ok"] {
                    throw StoreError.corrupt(path: path, detail: quick.prefix(3).joined(separator: "; "))
                }
                return earlier
            }
        }
    }
}

/// `open(2)` for reading, for `flock` (inside ``HistoryDatabase`` the name is its own `open`).
private func openForLocking(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }

/// How a reading command opens a history SQLite cannot share: a database in a folder this user cannot write
/// (an auditor reading the collector's history) without the `-shm` and `-wal` files a running writer keeps.
/// SQLite needs to create the `-shm` to read a WAL database ("attempt to write a readonly database"); with
/// no writer running, the file holds every commit and does not change, so it is read `immutable` (no locks).
/// A collector that starts during the read would change it under the reader:
/// ``HistoryDatabase/confirmUnchanged()`` tells, by the file's identity, size and time and the writer's files.
struct ImmutableRead: Sendable {
    /// The file the path resolves to (a link's target: the writer's files are beside it).
    let file: String
    /// The `file:` URI SQLite opens, `immutable=1`.
    let uri: String
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// Nil when `path` can be opened as usual: its folder is writable, or a writer's files are there.
    /// `folderWritable` overrides the file system's answer (tests run as root, which may write anywhere).
    init?(_ path: String, folderWritable: Bool? = nil) {
        guard let resolved = realpath(path, nil) else { return nil }
        let file = String(cString: resolved)
        free(resolved)
        let folder = (file as NSString).deletingLastPathComponent
        let writable = folderWritable ?? FileManager.default.isWritableFile(atPath: folder)
        guard !writable, !ImmutableRead.writerFilesExist(file),
            let identity = ImmutableRead.identity(file)
        else { return nil }
        var encoded = ""
        for character in file {
            switch character {
            case "%": encoded += "%25"
            case "?": encoded += "%3f"
            case "#": encoded += "%23"
            default: encoded.append(character)
            }
        }
        self.file = file
        // `file://` and the absolute path (an empty authority): `file:` + `//x` would name a host.
        uri = "file://\(encoded)?immutable=1"
        (device, inode, size, modifiedSeconds, modifiedNanoseconds) = identity
    }

    /// Whether the file is as it was when opened, and no writer has opened it since.
    var isUnchanged: Bool {
        guard !ImmutableRead.writerFilesExist(file), let now = ImmutableRead.identity(file) else { return false }
        return now == (device, inode, size, modifiedSeconds, modifiedNanoseconds)
    }

    private static func writerFilesExist(_ file: String) -> Bool {
        FileManager.default.fileExists(atPath: file + "-shm") || FileManager.default.fileExists(atPath: file + "-wal")
    }

    /// Device, inode, size and modification time of `file`.
    private static func identity(_ file: String) -> (UInt64, UInt64, Int64, Int, Int)? {
        var status = stat()
        guard stat(file, &status) == 0 else { return nil }
        #if canImport(Darwin)
            let modified = status.st_mtimespec
        #else
            let modified = status.st_mtim
        #endif
        return (
            UInt64(status.st_dev), UInt64(status.st_ino), Int64(status.st_size), Int(modified.tv_sec),
            Int(modified.tv_nsec)
        )
    }
}

extension HistoryDatabase {
    /// Refuses the result of a read when the file was opened `immutable` (``ImmutableRead``) and a writer
    /// changed it since: what was read may mix two states. Does nothing for any other database.
    /// - Throws: ``StoreError/changedWhileRead(path:)``.
    public func confirmUnchanged() throws(StoreError) {
        if let unchanging, !unchanging.isUnchanged { throw .changedWhileRead(path: path) }
    }
}
