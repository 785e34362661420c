import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// The connections to one PostgreSQL history: a small pool of idle connections, each taken for one
/// statement or one transaction and handed back when that succeeded (closed when it failed).
///
/// Queries go through postgres-nio's event-loop interface, so the synchronous read models (reports
/// stream rows from inside their renderers) wait on a NIO event loop, never on a task of the
/// cooperative pool that could itself be waiting.
final class PostgresSession: Sendable {
    let location: PostgresLocation
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)
    /// postgres-nio's own logging stays off: at trace level it describes connection set-up and statements,
    /// and the store reports every failure as a ``StoreError`` anyway.
    private let logger = Logger(label: "gateway-audit.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The form messages show (no password).
    var path: String { location.redacted }

    /// How long one statement may go without its answer before its connection is closed and the statement
    /// fails: a server or network that stopped answering (a partition, a half-open TCP connection) never holds
    /// a nightly job for ever. Generous: no statement of the store comes near it on a healthy server.
    let statementLimit: TimeAmount

    init(location: PostgresLocation, statementLimit: TimeAmount = .minutes(30)) {
        self.location = location
        self.statementLimit = statementLimit
    }

    deinit {
        for connection in idle.withLock({ $0 }) { PostgresSession.close(connection) }
    }

    /// Closes `connection` in the background, keeping it alive until its channel has closed (postgres-nio
    /// requires a connection to be closed before it is released).
    static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Opens a new connection (TLS as the URL asks).
    func connect() -> EventLoopFuture<PostgresConnection> {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try makeConfiguration()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        let id = nextID.add(1, ordering: .relaxed).oldValue
        return PostgresConnection.connect(on: eventLoop, configuration: configuration, id: id, logger: logger)
    }

    /// The connection's settings; TLS as `sslmode` asks (internal for the tests).
    func makeConfiguration() throws -> PostgresConnection.Configuration {
        var tls = PostgresConnection.Configuration.TLS.disable
        switch location.tls {
        case .disable: break
        case .prefer:
            // As libpq's `prefer`: TLS without checking the certificate when the server offers it (checked
            // against `sslrootcert` when one is named); postgres-nio goes on in plain text when the server
            // answers the TLS request with `N` (it has no TLS).
            tls = .prefer(try tlsContext(location.rootCertificatePath == nil ? .none : .noHostnameVerification))
        case .require: tls = .require(try tlsContext(.none))
        case .verifyCA: tls = .require(try tlsContext(.noHostnameVerification))
        case .verifyFull: tls = .require(try tlsContext(.fullVerification))
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// A client TLS context checking the server's certificate as `verification` says, against `sslrootcert`
    /// when the URL names one (else the system's roots).
    /// - Throws: ``StoreError/invalidLocation(detail:)`` naming the file when it holds no certificate.
    private func tlsContext(_ verification: CertificateVerification) throws -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        config.certificateVerification = verification
        if verification != .none, let root = location.rootCertificatePath {
            do {
                config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(root))
            } catch {
                throw StoreError.invalidLocation(
                    detail: "sslrootcert \(root): cannot load certificates from it (\(error)); "
                        + "name a PEM file of the certificate authorities to trust")
            }
        }
        return try NIOSSLContext(configuration: config)
    }

    /// An idle connection still open: one the server or the network closed while it was idle (a restart, a
    /// failover, an idle timeout) is dropped, not handed to the next statement to fail on.
    private func takeIdle() -> PostgresConnection? {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
            PostgresSession.close(connection)
        }
        return nil
    }

    /// Runs `body` on a pooled connection, synchronously. Server and decoding errors become
    /// ``StoreError``; errors `body` throws itself (a report that cannot be written) pass unchanged.
    func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let raw: PostgresConnection
        do {
            raw = try takeIdle() ?? connect().wait()
        } catch {
            throw StoreError.mapped(error, path: path)
        }
        do {
            let result = try body(PGConnection(raw: raw, path: path, limit: statementLimit))
            idle.withLock { $0.append(raw) }
            return result
        } catch {
            PostgresSession.close(raw)
            if error is PSQLError || error is PostgresDecodingError { throw StoreError.mapped(error, path: path) }
            throw error
        }
    }

    /// Runs `body`, which blocks on the server, on NIO's thread pool: the calling task suspends instead
    /// of holding a thread of the cooperative pool.
    /// - Throws: ``StoreError``.
    func offload<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws(StoreError) -> T {
        do {
            return try await NIOThreadPool.singleton.runIfActive { () throws -> T in try body() }
        } catch {
            throw StoreError.mapped(error, path: path)
        }
    }

    /// One transaction, synchronously: committed when `body` returns, rolled back when it throws.
    /// - Throws: ``StoreError``.
    func transaction<T>(readOnly: Bool = false, _ body: (PGConnection) throws -> T) throws(StoreError) -> T {
        do {
            return try withConnection { connection in
                try connection.execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
                do {
                    let result = try body(connection)
                    try connection.execute("COMMIT")
                    return result
                } catch {
                    _ = try? connection.execute("ROLLBACK")
                    throw error
                }
            }
        } catch {
            throw StoreError.mapped(error, path: path)
        }
    }

    /// Runs `body` on each row of `sql`, inside one read-only, repeatable-read transaction: a consistent
    /// view at flat memory, however many rows.
    ///
    /// The rows come through postgres-nio's back-pressured row sequence: the server produces them as the
    /// report consumes them, and an ordinary query (unlike a cursor, which PostgreSQL always runs in one
    /// process) may sort and join with parallel workers.
    ///
    /// `wholeHistory`: the query reads every row of its tables (no filter), so joins hash instead of
    /// looking rows up one by one (the planner's row estimates favour the latter, wrongly here).
    /// `before` runs first in the same transaction (what the rows refer to, read once).
    func stream(
        _ sql: String, _ arguments: [any PGBindable], wholeHistory: Bool = false,
        before: (PGConnection) throws -> Void = { _ in }, _ body: (PGRow) throws -> Void
    ) throws {
        try streamRows(sql, arguments, wholeHistory: wholeHistory, before: before) { row, path in
            try body(PGRow(row, path: path))
        }
    }

    /// ``stream(_:_:wholeHistory:before:_:)`` for a view that selects each row as one record of `fields`
    /// fields (``PGRecord``).
    func streamRecords(
        _ sql: String, _ arguments: [any PGBindable], fields: Int, wholeHistory: Bool = false,
        before: (PGConnection) throws -> Void = { _ in }, _ body: (inout PGRecord) throws -> Void
    ) throws {
        try streamRows(sql, arguments, wholeHistory: wholeHistory, before: before) { row, path in
            try PGRecord.read(row, fields: fields, path: path, body)
        }
    }

    private func streamRows(
        _ sql: String, _ arguments: [any PGBindable], wholeHistory: Bool,
        before: (PGConnection) throws -> Void, _ body: (PostgresRow, String) throws -> Void
    ) throws {
        try withConnection { connection in
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try before(connection)
            if wholeHistory { try connection.execute("SET LOCAL enable_nestloop = off") }
            let query = PGSQL.query(sql, arguments)
            try BlockingTaskExecutor.run {
                let rows = try await connection.raw.query(query, logger: connection.raw.logger)
                for try await row in rows { try body(row, connection.path) }
            }
            try connection.execute("COMMIT")
        }
    }
}

/// One connection and the few ways the store queries it: SQL with `?` placeholders and bound values.
struct PGConnection: Sendable {
    let raw: PostgresConnection
    let path: String
    /// How long a statement may wait for its answer (``PostgresSession/statementLimit``).
    let limit: TimeAmount
    private var logger: Logger { raw.logger }

    /// Sends `sql` now; its result arrives in the future.
    func query(_ sql: String, _ arguments: [any PGBindable] = []) -> EventLoopFuture<PostgresQueryResult> {
        raw.query(PGSQL.query(sql, arguments), logger: logger)
    }

    /// The rows of `sql`, waiting on the event loop.
    func rows(_ sql: String, _ arguments: [any PGBindable] = []) throws -> [PGRow] {
        try bounded(query(sql, arguments)).rows.map { PGRow($0, path: path) }
    }

    /// Runs a statement; returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any PGBindable] = []) throws -> Int {
        try bounded(query(sql, arguments)).metadata.rows ?? 0
    }

    /// The answer of `future`, or, past ``limit``, a failure, the connection closed (the session drops it).
    private func bounded<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let answer = future.eventLoop.makePromise(of: T.self)
        future.cascade(to: answer)
        let (connection, path, limit) = (raw, path, limit)
        let timer = future.eventLoop.scheduleTask(in: limit) {
            answer.fail(
                StoreError.postgres(
                    location: path,
                    detail: "no answer from the server in \(limit.nanoseconds / 1_000_000_000) s; "
                        + "check that it is up and reachable"))
            PostgresSession.close(connection)
        }
        defer { timer.cancel() }
        return try answer.futureResult.wait()
    }

}
