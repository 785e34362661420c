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

    /// Makes sure the lock is still held before run `run` writes again: the server drops it with its
    /// connection (a restart, a failover, `idle_session_timeout`, a pooler), and a collector that went on
    /// writing would then race another that took the scope. A closed connection is replaced once: the lock
    /// is taken again when no one else holds it.
    /// - Throws: ``StoreError/lockLost(path:run:)`` when another holds it (or it cannot be asked for).
    func ensureHeld(_ session: PostgresSession, run: Int64) async throws(StoreError) {
        let current = connection.withLock { $0 }
        guard current?.isClosed ?? true else { return }
        if let current { PostgresSession.close(current) }
        do {
            let replacement = try await session.connect().get()
            let rows = try await replacement.query(
                PGSQL.query("SELECT pg_try_advisory_lock(?) AS taken", [key]), logger: replacement.logger
            ).get()
            guard let row = rows.first, try row.makeRandomAccess()["taken"].decode(Bool.self) else {
                PostgresSession.close(replacement)
                throw StoreError.lockLost(path: session.path, run: run)
            }
            // Taken again, but another collector may have had it meanwhile and closed this run as aborted.
            let status = try await replacement.query(
                PGSQL.query("SELECT status FROM run WHERE id = ?", [run]), logger: replacement.logger
            ).get().first.map { try $0.makeRandomAccess()["status"].decode(String.self) }
            guard status == RunStatus.running.rawValue else {
                PostgresSession.close(replacement)
                throw StoreError.lockLost(path: session.path, run: run)
            }
            connection.withLock { $0 = replacement }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.lockLost(path: session.path, run: run)
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
