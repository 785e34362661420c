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
    /// The session's form in messages and its ``PostgresSession/statementLimit``, which bounds each of the
    /// lock's queries as it bounds the session's statements.
    private let path: String
    private let limit: TimeAmount

    private init(connection: PostgresConnection, key: Int64, path: String, limit: TimeAmount) {
        self.connection = Mutex(connection)
        self.key = key
        self.path = path
        self.limit = limit
    }

    /// The lock key of `scope`: the first 8 bytes of the SHA-256 of account, cloud, region and project
    /// (the same identity as the SQLite lock file's name).
    static func key(for scope: ScopeKey) -> Int64 {
        let identity = [scope.account, scope.cloud, scope.region, scope.projectID].joined(separator: "\n")
        let digest = Array(SHA256.hash(data: Data(identity.utf8)))
        return digest.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }

    /// Waits up to `wait` for the scope's lock, polling without blocking a thread. Each poll is one query
    /// bounded by the session's ``PostgresSession/statementLimit`` (``tryLock(_:key:)``).
    /// - Throws: ``StoreError/locked(path:waitedSeconds:)`` after the wait; ``StoreError/cancelled(path:)``;
    ///   ``StoreError/postgres(location:detail:)`` when a poll has no answer within the limit.
    static func acquire(_ session: PostgresSession, scope: ScopeKey, wait: Duration) async throws(StoreError)
        -> PostgresRunLock
    {
        let key = key(for: scope)
        let path = session.path
        let limit = session.statementLimit
        let raw: PostgresConnection
        do {
            raw = try await session.connect().get()
        } catch {
            throw StoreError.mapped(error, path: path)
        }
        let connection = PGConnection(raw: raw, path: path, limit: limit)
        let clock = ContinuousClock()
        let start = clock.now
        do {
            while true {
                if try await tryLock(connection, key: key) {
                    return PostgresRunLock(connection: raw, key: key, path: path, limit: limit)
                }
                let waited = clock.now - start
                if waited >= wait { throw StoreError.locked(path: path, waitedSeconds: wait.seconds) }
                try await Task.sleep(for: min(.milliseconds(50), wait - waited))
            }
        } catch {
            PostgresSession.close(raw)
            throw StoreError.mapped(error, path: path)
        }
    }

    /// Whether `connection` took the lock of `key`. `pg_try_advisory_lock` answers at once, taken or not (it
    /// never waits for the lock), so only a server or a network that stopped answering keeps the query
    /// waiting, and then for no longer than the connection's limit: it fails with
    /// ``PGConnection/noAnswer(path:limit:)``, its connection closed (``PGConnection/limited(_:)``).
    private static func tryLock(_ connection: PGConnection, key: Int64) async throws -> Bool {
        let rows = try await connection.limited(
            connection.query("SELECT pg_try_advisory_lock(?) AS taken", [key])
        ).get()
        guard let row = rows.first else { return false }
        return try row.makeRandomAccess()["taken"].decode(Bool.self)
    }

    /// Whether the lock's connection is open as far as this client knows (a closed one is replaced by
    /// ``ensureHeld(_:run:)``).
    var isConnectionOpen: Bool { connection.withLock { !($0?.isClosed ?? true) } }

    /// Makes sure the lock is still held before run `run` writes again: the server drops it with its
    /// connection (a restart, a failover, `idle_session_timeout`, a pooler), and a collector that went on
    /// writing would then race another that took the scope. A closed connection is replaced once: the lock
    /// is taken again when no one else holds it. Each query is bounded by the session's
    /// ``PostgresSession/statementLimit``.
    /// - Throws: ``StoreError/lockLost(path:run:)`` when another holds it or closed the run;
    ///   ``StoreError/postgres(location:detail:)`` when the new connection cannot be made within the session's
    ///   connect limit, or a query has no answer within its statement limit.
    func ensureHeld(_ session: PostgresSession, run: Int64) async throws(StoreError) {
        guard !isConnectionOpen else { return }
        let current = connection.withLock { $0 }
        if let current { PostgresSession.close(current) }
        let raw: PostgresConnection
        do {
            raw = try await session.connect().get()
        } catch {
            // The server cannot be reached or does not answer the new connection: said as such (as when a run
            // starts), not as a lock another collector took.
            throw StoreError.mapped(error, path: session.path)
        }
        let replacement = PGConnection(raw: raw, path: session.path, limit: session.statementLimit)
        do {
            guard try await Self.tryLock(replacement, key: key) else {
                throw StoreError.lockLost(path: session.path, run: run)
            }
            // Taken again, but another collector may have had it meanwhile and closed this run as aborted.
            let rows = try await replacement.limited(
                replacement.query("SELECT status FROM run WHERE id = ?", [run])
            ).get()
            let status = try rows.first.map { try $0.makeRandomAccess()["status"].decode(String.self) }
            guard status == RunStatus.running.rawValue else {
                throw StoreError.lockLost(path: session.path, run: run)
            }
        } catch let error as StoreError {
            PostgresSession.close(raw)
            throw error
        } catch {
            PostgresSession.close(raw)
            throw StoreError.lockLost(path: session.path, run: run)
        }
        connection.withLock { $0 = raw }
    }

    /// Releases the lock and closes its connection; later calls do nothing. Never waits: the unlock is sent
    /// and forgotten, and its connection closed once it is answered, or past the session's limit.
    func release() {
        guard
            let open = connection.withLock({ current -> PostgresConnection? in
                defer { current = nil }
                return current
            })
        else { return }
        let unlocking = PGConnection(raw: open, path: path, limit: limit)
        unlocking.limited(unlocking.query("SELECT pg_advisory_unlock(?)", [key]))
            .whenComplete { _ in PostgresSession.close(open) }
    }

    deinit {
        release()
    }
}
