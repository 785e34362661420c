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
    /// How long a new connection may take in all: TCP's connect, the TLS handshake, the startup and the login
    /// (postgres-nio's `connectTimeout` bounds them together). A server, proxy or pooler that accepts the
    /// connection and then says nothing fails it, and never holds a nightly job.
    let connectLimit: TimeAmount

    init(location: PostgresLocation, statementLimit: TimeAmount = .minutes(30), connectLimit: TimeAmount = .seconds(10))
    {
        self.location = location
        self.statementLimit = statementLimit
        self.connectLimit = connectLimit
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
        configuration.options.connectTimeout = connectLimit
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
    /// ``statementLimit`` bounds each wait for the server (for the first row, then for each next one), not
    /// the whole report (``RowWatch``): past it the connection is closed and the report fails with one line.
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
            try connection.watchingRows { watch in
                try BlockingTaskExecutor.run {
                    watch.waiting()
                    let rows = try await connection.raw.query(query, logger: connection.raw.logger)
                    for try await row in rows {
                        watch.answered()
                        try body(row, connection.path)
                        watch.waiting()
                    }
                }
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
        try limited(future).wait()
    }

    /// `future`, failed with ``noAnswer(path:limit:)`` when the server has not answered within ``limit``, the
    /// connection then closed, so that the statement cannot go on running on it (whoever holds the connection
    /// drops it: the session, the run lock). Waits for nothing itself: ``bounded(_:)`` blocks on it, the run
    /// lock awaits it, and releasing the lock forgets it.
    func limited<T: Sendable>(_ future: EventLoopFuture<T>) -> EventLoopFuture<T> {
        let answer = future.eventLoop.makePromise(of: T.self)
        future.cascade(to: answer)
        let (connection, path, limit) = (raw, path, limit)
        let timer = future.eventLoop.scheduleTask(in: limit) {
            answer.fail(PGConnection.noAnswer(path: path, limit: limit))
            PostgresSession.close(connection)
        }
        // On the event loop, as the timer: once answered, the timer can no longer close the connection.
        answer.futureResult.whenComplete { _ in timer.cancel() }
        return answer.futureResult
    }

    /// Runs `read`, which streams the rows of one query on this connection, with ``limit`` on each of its
    /// waits for the server (``RowWatch``): past it the connection is closed, the pending row fails, and
    /// `read`'s failure becomes ``noAnswer(path:limit:)``.
    func watchingRows<T>(_ read: (RowWatch) throws -> T) throws -> T {
        let watch = RowWatch()
        let check = watch.start(on: raw, limit: limit)
        defer { check.cancel() }
        let result: T
        do {
            result = try read(watch)
        } catch {
            if watch.expired { throw PGConnection.noAnswer(path: path, limit: limit) }
            throw error
        }
        // The rows all came as the limit expired: the connection is closed all the same.
        if watch.expired { throw PGConnection.noAnswer(path: path, limit: limit) }
        return result
    }

    /// The failure of a statement the server did not answer within `limit`: one line.
    static func noAnswer(path: String, limit: TimeAmount) -> StoreError {
        StoreError.postgres(
            location: path,
            detail: "no answer from the server in \(limit.nanoseconds / 1_000_000_000) s; "
                + "check that it is up and reachable")
    }
}

/// The statement limit on a stream of rows (``PostgresSession/stream(_:_:wholeHistory:before:_:)``):
/// ``PGConnection/limit`` on each wait for the server, the one for the first row (from sending the query)
/// and the one for each next row, not on the whole stream.
///
/// Why between rows rather than on the whole report: a report of a large history may rightly stream for
/// longer than the limit in all (histories grow, and the writer the rows feed may itself be slow: a pipe
/// to a pager, a slow disk), and failing it then would fail a healthy night's report; whereas a server
/// that sends nothing for the limit while the reader waits is down or unreachable (a partition, a
/// half-open connection) whatever the report's size, as for any other statement. Only the reader's waits
/// count: rows the back-pressured sequence already holds come at once, and the time the report spends on
/// a row is not the server's (the server waits for the reader then, not the other way round). The wait
/// for the first row includes the server's sort, as a statement's answer would.
///
/// Cheap per row, so that reports stay as fast: not ``PGConnection/limited(_:)`` around each row, whose
/// timer, scheduled and cancelled from the reader's thread, would wake the event loop twice a row (a
/// million rows, two million wake-ups), but two relaxed atomic stores a row, no clock read, nothing
/// scheduled. The reader counts its waits' beginnings and ends, and one repeating task on the connection's
/// event loop ticks ten times per limit; when one wait is still going ten ticks after the first tick that
/// saw it (between the limit and 1.1 times it), the task does what ``PGConnection/limited(_:)`` does: it
/// closes the connection, so the pending row fails and the query cannot go on running on it, and
/// ``PGConnection/watchingRows(_:)`` throws the same error.
final class RowWatch: Sendable {
    /// Incremented as the reader begins to wait for the server (odd: waiting) and as an answer comes (even).
    private let turns = Atomic<UInt64>(0)
    /// The event loop's alone: the turn its last tick saw, and how many ticks in a row have seen it since.
    private let seenTurn = Atomic<UInt64>(0)
    private let seenTicks = Atomic<Int>(0)
    private let expiry = Atomic<Bool>(false)

    /// Ticks per limit.
    private static let ticks = 10

    /// Whether the limit expired (the connection closed).
    var expired: Bool { expiry.load(ordering: .acquiring) }

    /// The reader begins to wait for the server: sends the query, or asks for the next row.
    func waiting() { advance() }

    /// The server answered: a row came (or the stream ended).
    func answered() { advance() }

    /// Only the reader writes `turns`: a plain load and store, no read-modify-write.
    private func advance() { turns.store(turns.load(ordering: .relaxed) &+ 1, ordering: .relaxed) }

    /// Starts the check on `connection`'s event loop, `limit` on each wait; cancel the task when the rows
    /// have been read.
    func start(on connection: PostgresConnection, limit: TimeAmount) -> RepeatedTask {
        let tick = TimeAmount.nanoseconds(max(limit.nanoseconds / Int64(Self.ticks), 1_000_000))
        let ticks = max(1, Int((limit.nanoseconds + tick.nanoseconds - 1) / tick.nanoseconds))
        return connection.eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { task in
            guard self.stalled(afterTicks: ticks) else { return }
            self.expiry.store(true, ordering: .releasing)
            task.cancel()
            PostgresSession.close(connection)
        }
    }

    /// One tick: whether the reader is still in the wait it was in `ticks` ticks ago.
    private func stalled(afterTicks ticks: Int) -> Bool {
        let turn = turns.load(ordering: .relaxed)
        guard turn % 2 == 1, turn == seenTurn.load(ordering: .relaxed) else {
            seenTurn.store(turn, ordering: .relaxed)
            seenTicks.store(0, ordering: .relaxed)
            return false
        }
        return seenTicks.add(1, ordering: .relaxed).newValue >= ticks
    }
}
