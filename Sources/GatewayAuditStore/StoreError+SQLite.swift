import GRDB
import PostgresNIO
import GatewayAuditCore

extension StoreError {
    /// Runs `body`, turning SQLite and other errors into ``StoreError`` (which passes through).
    static func mapping<T>(path: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw mapped(error, path: path)
        }
    }

    /// The store error for any error thrown while using the database at `path`.
    static func mapped(_ error: any Error, path: String) -> StoreError {
        switch error {
        case let error as StoreError: return error
        case let error as DatabaseError: return map(error, path: path)
        case is CancellationError: return .cancelled(path: path)
        case let error as PSQLError: return map(error, location: path)
        default: return .sqlite(path: path, detail: "\(error)")
        }
    }

    /// Whether `error` is a unique or primary-key conflict: while a batch is recorded, the mark of another
    /// run's write of the same resources since the batch's prior states were read (``concurrentWrite(path:detail:)``).
    static func isConflict(_ error: DatabaseError) -> Bool {
        error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }

    static func map(_ error: DatabaseError, path: String) -> StoreError {
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notADatabase(path: path)
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: detail)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return .readOnly(path: path, detail: detail)
        case .SQLITE_FULL: return .full(path: path, detail: detail)
        // A full disk or a file-size limit (`ulimit -f`) shows as a failed write, or as a WAL index
        // (`-shm`) that cannot grow.
        case .SQLITE_IOERR
        where error.extendedResultCode == .SQLITE_IOERR_WRITE || error.extendedResultCode == .SQLITE_IOERR_SHMSIZE:
            return .full(path: path, detail: detail)
        case .SQLITE_INTERRUPT: return .cancelled(path: path)
        default: return .sqlite(path: path, detail: detail)
        }
    }
}
