import Crypto
import Foundation
import GatewayAuditCore
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// A session-level advisory lock (`pg_try_advisory_lock`) per scope, held on a connection of its own
/// for a whole collection run: collectors of different scopes write at once, two of one scope never.
///
/// The server drops the lock when the connection ends, so a collector killed with SIGKILL leaves no
/// stale lock; its run stays `running` until the next run of the scope closes it as `aborted`.
final class PostgresRunLock: Sendable {
    private let connection: Mutex<PostgresConnection?>
    let key: Int64

    private init(connection: PostgresConnection, key: Int64) {
        self.connection = Mutex(connection)
        self.key = key
    }

    /// The lock key of `scope`: the first 8 bytes of the SHA-256 of account, cloud, region and project
    /// (the same identity as the SQLite lock file's name).
    static func key(for scope: ScopeKey) -> Int64 {
        let identity = [scope.account, scope.cloud, scope.region, scope.projectID].joined(separator: "\n")
        let digest = Array(SHA256.hash(data: Data(identity.utf8)))
        return digest.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }

    /// Waits up to `wait` for the scope's lock, polling without blocking a thread.
    /// - Throws: ``StoreError/locked(path:waitedSeconds:)`` after the wait; ``StoreError/cancelled(path:)``.
    static func acquire(_ session: PostgresSession, scope: ScopeKey, wait: Duration) async throws(StoreError)
        -> PostgresRunLock
    {
        let key = key(for: scope)
        let path = session.path
        let connection: PostgresConnection
        do {
            connection = try await session.connect().get()
        } catch {
            throw StoreError.mapped(error, path: path)
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            while true {
                let rows = try await connection.query(
                    PGSQL.query("SELECT pg_try_advisory_lock(?) AS taken", [key]), logger: connection.logger
                ).get()
                if let row = rows.first, try row.makeRandomAccess()["taken"].decode(Bool.self) {
                    return PostgresRunLock(connection: connection, key: key)
                }
                let waited = clock.now - start
                if waited >= wait { throw StoreError.locked(path: path, waitedSeconds: wait.seconds) }
                try await Task.sleep(for: min(.milliseconds(50), wait - waited))
            }
        } catch {
            PostgresSession.close(connection)
            throw StoreError.mapped(error, path: path)
        }
    }

    /// Releases the lock and closes its connection; later calls do nothing.
    func release() {
        guard
            let open = connection.withLock({ current -> PostgresConnection? in
                defer { current = nil }
                return current
            })
        else { return }
        let unlock = open.query(PGSQL.query("SELECT pg_advisory_unlock(?)", [key]), logger: open.logger)
        unlock.whenComplete { _ in PostgresSession.close(open) }
    }

    deinit {
        release()
    }
}
