import Foundation
import GatewayAuditCore

/// Why the history database could not be opened, read or written. Nothing is changed when one is thrown.
public enum StoreError: Error, Sendable, Hashable {
    /// No database exists at the path (reading commands never create one).
    case missing(path: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// An SQLite database that gateway-audit did not create.
    case foreignDatabase(path: String)
    /// Written by a newer gateway-audit whose schema this version does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// SQLite reports damage.
    case corrupt(path: String, detail: String)
    /// Another run holds the database's run lock.
    case locked(path: String, waitedSeconds: Double)
    /// The file or its folder cannot be written (permissions, read-only file system).
    case readOnly(path: String, detail: String)
    /// A collector wrote the file while a reading command read it as it stood (``ImmutableRead``).
    case changedWhileRead(path: String)
    /// The disk or the file-size limit is full.
    case full(path: String, detail: String)
    /// The run is not the one in progress (already finished, or from another store).
    case runNotActive(id: Int64)
    /// A stored value this version does not know: written by a newer gateway-audit, or edited by hand.
    case unknownValue(path: String, table: String, column: String, value: String)
    /// A batch handed to the store is inconsistent (an id twice, or read outside this run's lock).
    case invalidBatch(detail: String)
    /// Another run (of another scope, or an import) recorded some of the batch's resources between the read
    /// of their prior states and the batch's write: a resource both saw as new, or a snapshot both numbered
    /// alike. Nothing of the batch was stored; recording it again from fresh prior states succeeds
    /// (``ObservationRecorder`` does, a few times, before it lets this through).
    case concurrentWrite(path: String, detail: String)
    /// The operation was cancelled (the run is stopping); nothing of the unfinished write was stored.
    case cancelled(path: String)
    /// Any other SQLite failure.
    case sqlite(path: String, detail: String)
    /// A `postgres://` URL that cannot be used as it is (malformed, an unknown parameter).
    case invalidLocation(detail: String)
    /// The PostgreSQL server could not be reached, refused the login or the TLS it was asked for, or
    /// failed a statement. `location` is the URL without its password.
    case postgres(location: String, detail: String)
    /// Written by an earlier release, whose schema this one reads only once upgraded in place, which needs
    /// write access (to the file, its folder for the journal, and its lock) that this user lacks.
    case upgradeNeeded(path: String, detail: String)
    /// `copy`: the target holds another history under the source's run ids (nothing of that run was copied).
    case differentHistory(path: String, run: Int64)
    /// A run of an earlier release still holds `lockFile`, and this release's first write would convert
    /// the file under it (migration `v7-compact`).
    case earlierReleaseRunning(path: String, lockFile: String)
    /// PostgreSQL: the run's lock went with its connection (a restart, a failover, an idle-session timeout,
    /// a pooler) and could not be taken again, or the run was closed meanwhile: another collector of the
    /// scope may be writing, so this one stops.
    case lockLost(path: String, run: Int64)
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .missing(let path):
            return "no database at \(path); run `gateway-audit collect` (or `gateway-audit demo`) first, or pass --db"
        case .notADatabase(let path):
            return "\(path) is not an SQLite database; point --db at a gateway-audit database or a new file name"
        case .foreignDatabase(let path) where PostgresLocation.isPostgres(path):
            return "\(path) holds tables that gateway-audit did not create (no gateway_audit_migration table); "
                + "point --db at an empty database or one gateway-audit created"
        case .foreignDatabase(let path):
            return "\(path) is an SQLite database that gateway-audit did not create; use another --db path"
        case .newerSchema(let path, let unknown):
            return
                "\(path) was written by a newer gateway-audit (schema \(unknown.joined(separator: ", "))); upgrade gateway-audit to read it"
        case .corrupt(let path, let detail):
            return "\(path) is damaged (\(detail)); restore it from a backup, the file was left as it is"
        case .locked(let path, let waited):
            return
                "another gateway-audit run holds \(path) (waited \(Int(waited.rounded())) s); try again later or raise --lock-wait"
        case .readOnly(let path, let detail):
            return "cannot write \(path) (\(detail)); check the permissions of the file and its folder"
        case .changedWhileRead(let path):
            return "a collector wrote \(path) while it was read (its folder is not writable for this user, so it "
                + "was read as it stood): nothing is reported from it; run this again once the collection has ended"
        case .full(let path, let detail):
            return
                "cannot write \(path): \(detail); free disk space or raise the file-size limit, stored data is intact"
        case .runNotActive(let id):
            return "run \(id) is not in progress in this database"
        case .unknownValue(let path, let table, let column, let value):
            return "\(path): \(table).\(column) holds \"\(value)\", which this gateway-audit does not know "
                + "(written by a newer version, or edited by hand); upgrade gateway-audit, or run `gateway-audit verify`"
        case .invalidBatch(let detail):
            return "refused to record a batch: \(detail); nothing of it was stored"
        case .concurrentWrite(let path, let detail):
            return "another run kept recording the same resources in \(path) at the same moment (\(detail)); "
                + "nothing of this batch was stored, everything committed before is intact: run it again"
        case .cancelled(let path):
            return "stopped while using \(path); everything committed before is intact"
        case .sqlite(let path, let detail):
            return "database error on \(path): \(detail)"
        case .invalidLocation(let detail):
            return "--db: \(detail); write postgres://user@host:5432/database?sslmode=verify-full&sslrootcert=ca.pem, "
                + "or give a file path for SQLite"
        case .postgres(let location, let detail):
            return "PostgreSQL \(location): \(detail)"
        case .earlierReleaseRunning(let path, let lockFile):
            return "a run of an earlier gateway-audit is still writing \(path) (it holds \(lockFile)); this release "
                + "converts the file on its first write: stop the earlier release's collectors, then try again"
        case .upgradeNeeded(let path, let detail):
            return "\(path) was written by an earlier gateway-audit and is upgraded in place on first use, which "
                + "needs write access (\(detail)); run this command once as a user who may write the file and its folder"
        case .lockLost(let path, let run):
            return "\(path): run \(run) lost its lock on the server (the lock's connection closed: a restart, a "
                + "failover, an idle-session timeout or a pooler) and another collector of the scope holds it or "
                + "closed the run; nothing more was stored, everything committed before is intact: run it again"
        case .differentHistory(let path, let run):
            return "\(path) already holds a different history (its run \(run) is not the source's run \(run)); "
                + "copy into an empty database, or into the one an earlier copy of this source started"
        }
    }
}

extension StoreError: LocalizedError {
    public var errorDescription: String? { description }
}

/// A batch's prior state named a latest snapshot, or a status, that another run changed since it was read
/// (both backends' recorders throw it; the writer reports it as ``StoreError/concurrentWrite(path:detail:)``).
struct StalePriorState: Error {
    let gatewayID: GatewayID
    /// What changed: `latest snapshot` or `status`.
    var what = "latest snapshot"

    var detail: String { "gateway \(gatewayID): its \(what) changed since it was read" }
}
