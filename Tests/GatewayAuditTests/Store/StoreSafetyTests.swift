import Foundation
import Synchronization
import Testing
import TestSupport

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("Store safety: locks, crashes, foreign and damaged files")
struct StoreSafetyTests {
    @Test("a second writer waits for the run lock, then fails with a clear error; the first run is unaffected")
    func runLock() async throws {
        let f = try StoreFixture()
        let first = try await f.writer.beginRun(
            RunInfo(endpoint: "e", projectID: "p", scope: .all), lockWait: .seconds(1))
        let other = HistoryWriter(try HistoryDatabase.open(path: f.path))
        let started = Date()
        await #expect(throws: StoreError.locked(path: f.path, waitedSeconds: 0.3)) {
            _ = try await other.beginRun(
                RunInfo(endpoint: "e", projectID: "p", scope: .all), lockWait: .milliseconds(300))
        }
        #expect(Date().timeIntervalSince(started) >= 0.3)
        #expect(
            StoreError.locked(path: "/x/db", waitedSeconds: 60).description
                == "another gateway-audit run holds /x/db (waited 60 s); try again later or raise --lock-wait")
        _ = try await f.recorder.record([.present(try standardGateway(), at: .now)], in: first)
        try await f.writer.finishRun(first, status: .complete)
    }

    @Test("a run that waited for the run lock starts when it got the lock, not when it began to wait")
    func startAfterWait() async throws {
        let f = try StoreFixture()
        let first = try await f.writer.beginRun(
            RunInfo(endpoint: "e", projectID: "p", scope: .all), lockWait: .seconds(1))
        let other = HistoryWriter(try HistoryDatabase.open(path: f.path))
        let waiting = Task {
            try await other.beginRun(
                RunInfo(endpoint: "e", projectID: "p", scope: .all), at: Instant.now, lockWait: .seconds(20))
        }
        try await Task.sleep(for: .milliseconds(400))
        // Read before the release: the waiter may take the lock the moment finishRun lets it go.
        let released = Instant.now
        try await f.writer.finishRun(first, status: .complete)
        let second = try await waiting.value
        #expect(second.startedAt >= released)
        try await other.finishRun(second, status: .complete)
        #expect(try f.store.runs().first?.startedAt == second.startedAt)
    }

    @Test("a file read as it stood (a folder the reader cannot write) is known changed once a writer touches it")
    func immutableReadDetectsWriter() async throws {
        let f = try StoreFixture()
        let run = try await f.writer.beginRun(RunInfo(endpoint: "e", projectID: "p", scope: .all))
        _ = try await f.recorder.record([.present(try standardGateway(id: "a"), at: .now)], in: run)
        try await f.writer.finishRun(run, status: .complete)
        // Every commit into the main file, so a copy of it alone holds them.
        _ = try SQLiteShell.run(f.path, "PRAGMA wal_checkpoint(TRUNCATE);")
        // A path with the characters a SQLite URI escapes, reached through a link.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-imm %?#-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("h.sqlite").path
        try FileManager.default.copyItem(atPath: f.path, toPath: file)
        let link = folder.appendingPathComponent("link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        #expect(ImmutableRead(link, folderWritable: true) == nil, "a writable folder opens as usual")
        let read = try #require(ImmutableRead(link, folderWritable: false))
        #expect(read.file == file)
        #expect(read.uri.hasPrefix("file:///") && read.uri.hasSuffix("/h.sqlite?immutable=1"))
        #expect(read.uri.contains("ga-imm %25%3f%23-"))
        // SQLite opens the URI, immutable, and reads the run.
        #expect(try SQLiteShell.run(read.uri, "SELECT COUNT(*) FROM run;") == "1\n")
        #expect(read.isUnchanged)
        // A collector opening the file leaves its -wal beside the target: the read is refused.
        #expect(FileManager.default.createFile(atPath: file + "-wal", contents: Data()))
        #expect(!read.isUnchanged)
        try FileManager.default.removeItem(atPath: file + "-wal")
        #expect(read.isUnchanged)
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0, count: 4096))
        try handle.close()
        #expect(!read.isUnchanged)
        #expect(
            StoreError.changedWhileRead(path: "/x/h.sqlite").description
                == "a collector wrote /x/h.sqlite while it was read (its folder is not writable for this user, so it "
                + "was read as it stood): nothing is reported from it; run this again once the collection has ended")
    }

    @Test("a run killed mid-way keeps its committed batches, shows as running, and is closed as aborted by the next")
    func abortedRun() async throws {
        let f = try StoreFixture()
        do {
            let run = try await f.writer.beginRun(
                RunInfo(endpoint: "e", projectID: "p", scope: .all), at: StoreFixture.night(1))
            _ = try await f.recorder.record(
                [.present(try standardGateway(id: "a"), at: StoreFixture.night(1))], in: run)
            _ = try await f.recorder.record(
                [.present(try standardGateway(id: "b"), at: StoreFixture.night(1))], in: run)
            // The process dies here: no finishRun; the lock goes with the process.
        }
        #expect(try f.store.runs().map(\.status) == [.running])
        #expect(try f.store.runs().first?.counts.new == 2)
        let next = try await f.writer.beginRun(
            RunInfo(endpoint: "e", projectID: "p", scope: .all), lockWait: .seconds(1))
        #expect(next.abortedRuns == [1])
        try await f.writer.finishRun(next, status: .complete)
        let runs = try f.store.runs()
        #expect(runs.map(\.status) == [.complete, .aborted])
        #expect(runs.last?.message == "the process ended before the run finished; closed by run 2")
        #expect(try f.history().map(\.gatewayID) == ["a", "b"])
        try f.expectIntegrity()
    }

    @Test("every commit is synced to disk: the writer runs with synchronous = FULL, on a new file and on reopening it")
    func synchronousFull() async throws {
        let f = try StoreFixture()
        // 2 is FULL; opening a WAL pool sets NORMAL (1), which lets a power loss take back the last commits.
        #expect(try await f.database.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        try await f.run(night: 1, try standardGateway())
        let reopened = try HistoryDatabase.open(path: f.path)
        #expect(try await reopened.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        #expect(try await reopened.write { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a finished run cannot record more")
    func finishedRun() async throws {
        let f = try StoreFixture()
        let run = try await f.writer.beginRun(RunInfo(endpoint: "e", projectID: "p", scope: .all))
        try await f.writer.finishRun(run, status: .complete)
        await #expect(throws: StoreError.runNotActive(id: 1)) {
            _ = try await f.recorder.record([.present(try standardGateway(), at: .now)], in: run)
        }
    }

    @Test("two writers at once: both runs complete one after the other, nothing lost, file sound")
    func concurrentWriters() async throws {
        let f = try StoreFixture()
        let path = f.path
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let store = HistoryWriter(try HistoryDatabase.open(path: path))
                    let recorder = ObservationRecorder(writer: store)
                    for night in 1...5 {
                        // The lock is polled, not queued: a writer may wait for all five of the other's
                        // nights, which took over 30 s in debug builds while the whole suite ran.
                        let run = try await store.beginRun(
                            RunInfo(endpoint: "e", projectID: "p", scope: .ids), lockWait: .seconds(180))
                        for batch in 0..<4 {
                            let observations = try (0..<25).map { i in
                                Observation.present(
                                    try standardGateway(
                                        id: "w\(writer)-\(batch * 25 + i)", name: "n\(night)",
                                        updated: "2025-03-0\(night)T00:00:00Z"), at: StoreFixture.night(night))
                            }
                            _ = try await recorder.record(observations, in: run)
                        }
                        try await store.finishRun(run, status: .complete)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try f.store.runs().count == 10)
        #expect(try f.store.runs().allSatisfy { $0.status == .complete && $0.counts.observed == 100 })
        #expect(try f.store.gateways().count == 200)
        #expect(try f.history().count == 1000)
        try f.expectIntegrity()
    }

    @Test("a file that is not SQLite is refused and left byte for byte as it was")
    func notADatabase() async throws {
        let f = try StoreFixture()
        let path = f.directory.appendingPathComponent("notes.sqlite").path
        let bytes = Data("these are my notes, not a database\n".utf8)
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) { try HistoryDatabase.open(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("another application's SQLite database is refused and not migrated")
    func foreign() async throws {
        let f = try StoreFixture()
        let path = f.directory.appendingPathComponent("other.sqlite").path
        try sqlite3(path, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');")
        #expect(throws: StoreError.foreignDatabase(path: path)) { try HistoryDatabase.open(path: path) }
        #expect(try sqlite3(path, "SELECT name FROM sqlite_master ORDER BY name") == "notes\n")
    }

    @Test("a database from a newer schema is refused with the unknown migration named")
    func newerSchema() async throws {
        let f = try StoreFixture()
        _ = try await f.run(night: 1, try standardGateway())
        try sqlite3(f.path, "INSERT INTO grdb_migrations VALUES ('v9-future');")
        #expect(throws: StoreError.newerSchema(path: f.path, unknownMigrations: ["v9-future"])) {
            try HistoryDatabase.open(path: f.path)
        }
        #expect(try sqlite3(f.path, "SELECT COUNT(*) FROM snapshot") == "1\n")
    }

    @Test("the tests' sqlite3 shell fails on a failed statement instead of printing nothing")
    func shellFailure() async throws {
        let f = try StoreFixture()
        _ = try await f.run(night: 1, try gateway(["id": "gw-1", "name": "n"]))
        #expect(try sqlite3(f.path, "SELECT COUNT(*) FROM gateway") == "1\n")
        let failure = try #require(throws: SQLiteShell.Failure.self) {
            try sqlite3(f.path, "SELECT * FROM no_such_table")
        }
        #expect(failure.status != 0 && failure.message.contains("no such table: no_such_table"))
    }

    @Test("reading a missing database does not create one")
    func missing() async throws {
        let f = try StoreFixture()
        let path = f.directory.appendingPathComponent("absent.sqlite").path
        #expect(throws: StoreError.missing(path: path)) {
            try HistoryQueries(HistoryDatabase.open(path: path, readOnly: true))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a damaged database is refused, not repaired or overwritten")
    func corrupt() async throws {
        let f = try StoreFixture()
        for night in 1...3 {
            try await f.run(
                night: night,
                try (0..<200).map { try standardGateway(id: "g\($0)", name: "n\(night)") }.map { .present($0) },
                ids: (0..<200).map { GatewayID("g\($0)") })
        }
        try f.database.checkpoint()
        let url = URL(fileURLWithPath: f.path)
        var bytes = try Data(contentsOf: url)
        #expect(bytes.count > 8192)
        for i in 4096..<min(bytes.count, 4096 * 6) { bytes[i] = 0x5A }
        try bytes.write(to: url)
        #expect {
            try HistoryDatabase.open(path: f.path)
        } throws: { error in
            guard case StoreError.corrupt = error else { return false }
            return "\(error)".contains("restore it from a backup")
        }
        #expect(try Data(contentsOf: url) == bytes)
    }
}

/// Runs the sqlite3 shell (an independent reader/writer) on a database; returns its output.
@discardableResult
func sqlite3(_ path: String, _ sql: String) throws -> String { try SQLiteShell.run(path, sql) }

@Suite("opening one new database from many connections at once")
struct ConcurrentCreationTests {
    @Test("eight stores creating the same new database at once all open it, migrated once")
    func concurrentMigration() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-create-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.sqlite").path
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                _ = try HistoryDatabase.open(path: path)
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let database = try HistoryDatabase.open(path: path, readOnly: true)
        #expect(try database.integrityCheck() == ["ok"])
        #expect(try HistoryQueries(database).runs().isEmpty)
    }
}
