import Foundation
import NIOCore
import NIOPosix
import TestSupport
import Testing

@testable import GatewayAudit
@testable import GatewayAuditStore

/// The PostgreSQL session against a server that misbehaves: a transaction left open elsewhere never holds a
/// collector for ever (opening a run waits `--lock-wait` for the run-id lock, then gives up as a held
/// database, exit 75), and connections the server closed while idle are not reused.
@Suite(
    "PostgreSQL sessions: bounded lock waits, closed connections dropped",
    .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipped))
struct PostgresSessionTests {
    /// A TCP listener on 127.0.0.1 that accepts connections and never answers, and a session to it (its URL's
    /// password is `secret-pw`, which no error may show).
    static func silentServer(connectLimit: TimeAmount) async throws -> (listener: any Channel, session: PostgresSession)
    {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in child.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        let session = PostgresSession(
            location: try PostgresLocation.parse("postgres://u:secret-pw@127.0.0.1:\(port)/db?sslmode=disable"),
            statementLimit: .seconds(1), connectLimit: connectLimit)
        return (listener, session)
    }

    @Test("another session holding the run-id lock: beginRun gives up after its lock wait, then runs once it is free")
    func runIDLockWait() async throws {
        let url = try await PostgresTestServer.freshDatabase()
        let database = try await offPool { try HistoryDatabase.open(path: url) }
        let writer = HistoryWriter(database)
        // A psql session holds the lock until this test cancels it (as a hung import's transaction would).
        // psql blocks its thread: off the cooperative pool, which other tests share.
        let holder = Task {
            try? await offPool {
                try PostgresTestServer.psql(
                    url,
                    "BEGIN; SELECT pg_advisory_xact_lock(\(PostgresSchema.lockClass)::integer, "
                        + "\(PostgresSchema.runIDLock)::integer); SELECT pg_sleep(120); COMMIT;")
            }
        }
        // Until the lock is held.
        var held = false
        for _ in 0..<400 where !held {
            let count = try await offPool {
                try PostgresTestServer.psql(
                    url,
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                        + "AND classid = \(PostgresSchema.lockClass) AND objid = \(PostgresSchema.runIDLock)")
            }
            held = count.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
            if !held { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(held, "the other session never took the lock")
        let info = RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all)
        do {
            let run = try await writer.beginRun(info, at: StoreFixture.night(1), lockWait: .seconds(1))
            Issue.record("run \(run.id) began while the lock was held")
        } catch {
            if case .locked(_, let waited) = error {
                #expect(waited == 1)
            } else {
                Issue.record("expected .locked, got \(error)")
            }
        }
        _ = try await offPool {
            try PostgresTestServer.psql(
                url,
                "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(120)%' "
                    + "AND pid <> pg_backend_pid()")
        }
        await holder.value
        // The scope's own lock was released: the next run begins.
        let run = try await writer.beginRun(info, at: StoreFixture.night(1), lockWait: .seconds(30))
        try await writer.finishRun(run, status: .complete, at: StoreFixture.night(1).adding(seconds: 1))
        #expect(try HistoryQueries(database).runs(limit: nil).map(\.id) == [1])
    }

    @Test("a run whose lock went with its connection takes it again when free, and stops when another took the scope")
    func lockLost() async throws {
        let url = try await PostgresTestServer.freshDatabase()
        let database = try await offPool { try HistoryDatabase.open(path: url) }
        let writer = HistoryWriter(database)
        let recorder = ObservationRecorder(writer: writer)
        let info = RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all)
        // A restart, an idle-session timeout or a pooler: the server ends the connection holding the run lock.
        func endLockConnection() async throws {
            let ended = try await offPool {
                try PostgresTestServer.psql(
                    url,
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 "
                        + "AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
            }
            #expect(ended.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
            try await Task.sleep(for: .milliseconds(500))
        }
        func observe(_ id: String, night: Int) throws -> [Observation] {
            [
                Observation(
                    gatewayID: GatewayID(id), observedAt: StoreFixture.night(night).adding(seconds: 60),
                    result: .present(try standardGateway(id: id)))
            ]
        }
        let first = try await writer.beginRun(info, at: StoreFixture.night(1), lockWait: .seconds(5))
        _ = try await recorder.record(try observe("gw-a", night: 1), in: first)
        try await endLockConnection()
        // No one else wanted the scope: the lock is taken again and the run goes on.
        #expect(try await recorder.record(try observe("gw-b", night: 1), in: first) == [.new])
        try await writer.finishRun(first, status: .complete, at: StoreFixture.night(1).adding(seconds: 120))

        let second = try await writer.beginRun(info, at: StoreFixture.night(2), lockWait: .seconds(5))
        _ = try await recorder.record(try observe("gw-a", night: 2), in: second)
        try await endLockConnection()
        // Another collector of the scope takes the lock and closes the run it finds running.
        let other = try await writer.beginRun(
            info, at: StoreFixture.night(2).adding(seconds: 90), lockWait: .seconds(5))
        #expect(other.abortedRuns == [second.id])
        do {
            _ = try await recorder.record(try observe("gw-b", night: 2), in: second)
            Issue.record("a run that lost its lock recorded a batch")
        } catch {
            #expect(error as? StoreError == .lockLost(path: database.path, run: second.id), "\(error)")
        }
        try await writer.finishRun(other, status: .complete, at: StoreFixture.night(2).adding(seconds: 120))
        let runs = try await offPool { try HistoryQueries(database).runs(limit: nil) }
        #expect(runs.map(\.status) == [.complete, .aborted, .complete])
        #expect(try await offPool { try HistoryVerifier(database).verify().problems }.isEmpty)
    }

    @Test("connections the server closed while idle (a restart, an idle timeout) are dropped, not reused")
    func closedWhileIdle() async throws {
        let url = try await PostgresTestServer.freshDatabase()
        let database = try await offPool { try HistoryDatabase.open(path: url) }
        let queries = HistoryQueries(database)
        #expect(try await offPool { try queries.runs(limit: nil) }.isEmpty)
        let name = try #require(url.split(separator: "/").last.map(String.init))
        _ = try await offPool {
            try PostgresTestServer.psql(
                url,
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(name)' "
                    + "AND pid <> pg_backend_pid()")
        }
        // Until the client has seen the close (the server's message, then the socket's end).
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await offPool { try queries.runs(limit: nil) }.isEmpty)
        #expect(try await offPool { try queries.statistics().runs } == 0)
    }

    @Test("a statement the server does not answer within the session's limit fails with one line; the next one works")
    func statementLimit() async throws {
        let url = try await PostgresTestServer.freshDatabase()
        let session = PostgresSession(location: try PostgresLocation.parse(url), statementLimit: .seconds(1))
        let outcome = try await offPool { () -> String in
            do {
                try session.withConnection { try $0.execute("SELECT pg_sleep(30)") }
                return "answered"
            } catch {
                return "\(error)"
            }
        }
        #expect(outcome.hasSuffix("no answer from the server in 1 s; check that it is up and reachable"), "\(outcome)")
        #expect(!outcome.contains("\n"))
        let next = try await offPool { try session.withConnection { try $0.rows("SELECT 1 AS one") }.count }
        #expect(next == 1)
    }

    @Test("a server that accepts the connection and then says nothing fails it with one line after the connect limit")
    func connectLimit() async throws {
        // The limit covers the startup and login, not only TCP.
        let (silent, session) = try await Self.silentServer(connectLimit: .seconds(1))
        defer { silent.close(promise: nil) }
        let start = ContinuousClock.now
        let outcome = try await offPool { () -> String in
            do {
                try session.withConnection { try $0.execute("SELECT 1") }
                return "connected"
            } catch {
                return "\(error)"
            }
        }
        #expect(
            outcome.hasSuffix(
                "no connection in 1 s (TCP connect, TLS handshake and login); "
                    + "check that the server is up and that host and port are PostgreSQL's"), "\(outcome)")
        #expect(!outcome.contains("\n") && !outcome.contains("secret-pw"))
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("a history of the release before pg3-run-kinds, read without upgrading it: runs and verify read it")
    func beforeRunKinds() async throws {
        let url = try await PostgresTestServer.freshDatabase()
        let writer = try await offPool { try HistoryDatabase.open(path: url) }
        let w = HistoryWriter(writer)
        let run = try await w.beginRun(RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all))
        try await w.finishRun(run, status: .complete)
        // As the release before wrote it: no run.kinds, no pg3 migration.
        _ = try await offPool {
            try PostgresTestServer.psql(
                url,
                "ALTER TABLE run DROP COLUMN kinds; DELETE FROM gateway_audit_migration WHERE identifier = 'pg3-run-kinds'"
            )
        }
        let reader = try await offPool { try HistoryDatabase.open(path: url, readOnly: true) }
        let runs = try await offPool { try HistoryQueries(reader).runs(limit: nil) }
        #expect(runs.map(\.id) == [run.id] && runs.first?.kinds == nil)
        // The run was sealed with version 4, whose kinds (NULL) the missing column stands for.
        #expect(try await offPool { try HistoryVerifier(reader).verify().problems }.isEmpty)
    }

    @Test("a report whose rows stop coming fails with one line after the limit; a slower report in all does not")
    func streamLimit() async throws {
        let url = try await PostgresTestServer.freshDatabase()
        let session = PostgresSession(location: try PostgresLocation.parse(url), statementLimit: .seconds(1))
        // About 100 kB of rows, more than the server's 8 kB send buffer, so most of them come at once; then
        // the server sleeps before the last one, as a server that stopped answering mid-report.
        let stalling =
            "SELECT n, repeat('x', 1000) AS padding FROM generate_series(1, 101) AS n "
            + "WHERE n <= 100 OR pg_sleep(30) IS NOT NULL"
        let start = ContinuousClock.now
        let (outcome, received) = try await offPool { () -> (String, Int) in
            var received = 0
            do {
                try session.stream(stalling, []) { _ in received += 1 }
                return ("answered", received)
            } catch {
                return ("\(error)", received)
            }
        }
        #expect(outcome.hasSuffix("no answer from the server in 1 s; check that it is up and reachable"), "\(outcome)")
        #expect(!outcome.contains("\n"))
        #expect(received > 0 && received < 101, "\(received) rows before the stall")
        #expect(ContinuousClock.now - start < .seconds(15))
        // The limit is on each wait for the server, not on the report: 3 s of a slow writer is no stall.
        let slow = try await offPool { () -> Int in
            var rows = 0
            try session.stream("SELECT n FROM generate_series(1, 2) AS n", []) { _ in
                rows += 1
                Thread.sleep(forTimeInterval: 1.5)
            }
            return rows
        }
        #expect(slow == 2)
        let next = try await offPool { try session.withConnection { try $0.rows("SELECT 1 AS one") }.count }
        #expect(next == 1)
    }

    @Test("run lock queries (take, take again, run status) with no answer within the limit fail with one line")
    func lockQueryLimit() async throws {
        let url = try await PostgresTestServer.freshDatabase()
        let server = try #require(PostgresTestServer.url)
        let name = try #require(url.split(separator: "/").last.map(String.init))
        _ = try await offPool {
            try PostgresTestServer.psql(url, "CREATE TABLE run (id int8 PRIMARY KEY, status text)")
        }
        let session = PostgresSession(
            location: try PostgresLocation.parse(url), statementLimit: .seconds(1), connectLimit: .seconds(2))
        let noAnswer = "no answer from the server in 1 s; check that it is up and reachable"
        // While pg_proc is held, a new backend whose database's relation cache file another test's catalog
        // change has just invalidated rebuilds it at startup, reading pg_proc: then the connection, not its
        // first query, goes unanswered (about one run in ten with the whole suite in parallel).
        let noConnection =
            "no connection in 2 s (TCP connect, TLS handshake and login); "
            + "check that the server is up and that host and port are PostgreSQL's"

        // Another session holds `table` ACCESS EXCLUSIVE until `endHold(_:)`: a query that reads it waits, as on a
        // server that stopped answering. A new backend reads pg_proc to find pg_try_advisory_lock.
        func hold(_ table: String) async throws -> Task<Void, Never> {
            let holder = Task {
                _ = try? await offPool {
                    try PostgresTestServer.psql(
                        url, "BEGIN; LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(119); COMMIT;")
                }
            }
            // Until it sleeps, the lock taken (asked in another database: this one's catalog may be locked).
            var held = false
            for _ in 0..<400 where !held {
                let count = try await offPool {
                    try PostgresTestServer.psql(
                        server,
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(name)' AND wait_event = 'PgSleep' "
                            + "AND query LIKE '%pg_sleep(119)%'")
                }
                held = count == "1"
                if !held { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(held, "the other session never took the lock on \(table)")
            return holder
        }
        func endHold(_ holder: Task<Void, Never>) async throws {
            _ = try await offPool {
                try PostgresTestServer.psql(
                    server,
                    "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE datname = '\(name)' "
                        + "AND query LIKE '%pg_sleep(119)%' AND pid <> pg_backend_pid()")
            }
            await holder.value
        }
        // A restart or an idle timeout: the server ends the connection holding `scope`'s lock. Waits until its
        // backend has exited (the server has dropped the lock) and the client has seen the close, however
        // loaded the machine: a fixed pause let a retake find the old backend still holding the lock.
        func endLockConnection(_ lock: PostgresRunLock, _ scope: ScopeKey) async throws {
            let key = PostgresRunLock.key(for: scope)
            let holders = try await offPool {
                try PostgresTestServer.psql(
                    server,
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                        + "AND objsubid = 1 AND classid::int8 = \(UInt32(truncatingIfNeeded: key >> 32)) "
                        + "AND objid::int8 = \(UInt32(truncatingIfNeeded: key)) "
                        + "AND database = (SELECT oid FROM pg_database WHERE datname = '\(name)')")
            }
            let pid = try #require(Int(holders), "one backend holds the lock of \(scope.projectID): \(holders)")
            let ended = try await offPool {
                try PostgresTestServer.psql(server, "SELECT pg_terminate_backend(\(pid))")
            }
            #expect(ended == "t")
            var gone = false
            for _ in 0..<400 where !gone {
                gone =
                    try await offPool {
                        try PostgresTestServer.psql(server, "SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)")
                    } == "0" && !lock.isConnectionOpen
                if !gone { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(gone, "the lock's backend \(pid) did not end, or the client did not see it")
        }
        /// `attempt` fails within the limit (not the longer lock wait) with the one line; `what` names it if not.
        /// With `newConnection`, its new connection may be the step that goes unanswered (see `noConnection`).
        func expectNoAnswer(_ what: String, newConnection: Bool = false, _ attempt: () async throws -> Void) async {
            let began = ContinuousClock.now
            do {
                try await attempt()
                Issue.record("\(what) while the server did not answer")
            } catch {
                let outcome = "\(error)"
                #expect(
                    outcome.hasSuffix(noAnswer) || (newConnection && outcome.hasSuffix(noConnection)), "\(outcome)")
                #expect(!outcome.contains("\n"))
                #expect(ContinuousClock.now - began < .seconds(15))
            }
        }

        let first = ScopeKey(projectID: "p")
        let lock = try await PostgresRunLock.acquire(session, scope: first, wait: .seconds(5))
        var holder = try await hold("pg_proc")
        // The poll for a lock has no answer: the limit, not the (longer) lock wait, ends it.
        await expectNoAnswer("a lock was taken", newConnection: true) {
            let other = try await PostgresRunLock.acquire(session, scope: ScopeKey(projectID: "q"), wait: .seconds(60))
            other.release()
        }
        // Nor does taking the lock again on a new connection.
        try await endLockConnection(lock, first)
        await expectNoAnswer("the lock was checked", newConnection: true) { try await lock.ensureHeld(session, run: 1) }
        try await endHold(holder)
        lock.release()

        // Taken again, but the run's status has no answer.
        let second = ScopeKey(projectID: "r")
        let again = try await PostgresRunLock.acquire(session, scope: second, wait: .seconds(5))
        holder = try await hold("run")
        try await endLockConnection(again, second)
        await expectNoAnswer("the run's status was read") { try await again.ensureHeld(session, run: 1) }
        try await endHold(holder)
        again.release()

        // The lock's connection closed, and the server then accepts a new one but says nothing: the connect
        // limit's line, not a lock another collector took.
        let (silent, unanswering) = try await Self.silentServer(connectLimit: .seconds(2))
        defer { silent.close(promise: nil) }
        let third = ScopeKey(projectID: "s")
        let last = try await PostgresRunLock.acquire(session, scope: third, wait: .seconds(5))
        try await endLockConnection(last, third)
        do {
            try await last.ensureHeld(unanswering, run: 1)
            Issue.record("the lock was taken again on a server that says nothing")
        } catch {
            #expect("\(error)".hasSuffix(noConnection), "\(error)")
            #expect(!"\(error)".contains("secret-pw"))
        }
        last.release()
    }
}
