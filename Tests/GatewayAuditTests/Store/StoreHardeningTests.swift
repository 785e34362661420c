import Foundation
import Synchronization
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("Store hardening: unknown values, the lock wait, in-memory databases")
struct StoreHardeningTests {
    @Test(
        "an unknown stored value is an error naming table, column and value, never a default",
        arguments: [
            ("UPDATE run SET status = 'paused' WHERE id = 1", "run", "status", "paused"),
            ("UPDATE run SET scope = 'region' WHERE id = 1", "run", "scope", "region"),
            ("UPDATE snapshot SET state = 'archived' WHERE seq = 1", "snapshot", "state", "archived"),
            ("UPDATE change SET change = 'renamed' WHERE field = 'name'", "change", "change", "renamed"),
            (
                "UPDATE anomaly SET kind = 'moon-phase' WHERE kind = (SELECT MIN(kind) FROM anomaly)", "anomaly",
                "kind", "moon-phase"
            ),
        ])
    func unknownValues(sql: String, table: String, column: String, value: String) async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, try standardGateway(id: "a"))
        try await f.run(
            night: 2, try standardGateway(id: "a", name: "renamed", updated: "2025-02-01T10:00:00.000+02:00"))
        try f.database.checkpoint()
        try sqlite3(f.path, "PRAGMA ignore_check_constraints = ON; " + sql)
        let store = HistoryQueries(try HistoryDatabase.open(path: f.path, readOnly: true))
        let expected = StoreError.unknownValue(path: f.path, table: table, column: column, value: value)
        let reads: [() throws -> Void] = [
            { _ = try store.runs() },
            { try store.forEachHistoryRow { _ in } },
            { try store.forEachChangeRow { _ in } },
            { _ = try store.anomalies(ReportFilter()) },
            { _ = try store.gateways() },
        ]
        var thrown: [StoreError] = []
        for read in reads {
            do {
                try read()
            } catch let error as StoreError {
                thrown.append(error)
            }
        }
        #expect(thrown.contains(expected), "\(thrown)")
        #expect(
            expected.description
                == "\(f.path): \(table).\(column) holds \"\(value)\", which this gateway-audit does not know "
                + "(written by a newer version, or edited by hand); upgrade gateway-audit, or run `gateway-audit verify`"
        )
    }

    @Test("waiting for the run lock does not hold threads: a task started later runs while collectors wait")
    func lockWaitKeepsPoolFree() async throws {
        let f = try StoreFixture()
        let holder = try await f.writer.beginRun(RunInfo(endpoint: "e", projectID: "p", scope: .all))
        // Four waiters per thread of the cooperative pool, then a probe task that ends the holder's run. A
        // wait that held its thread would leave the probe queued until the waiters on every thread gave up
        // (60 s each); a wait that suspends lets the probe run, and then every waiter gets the lock in
        // turn. The order of events says which. The waiters wait long enough for the probe to be scheduled,
        // and for all of them to take the lock one after another, on a pool that other suites keep busy (a
        // 2 s wait was once too short under the whole suite).
        let writers = try (0..<(4 * ProcessInfo.processInfo.activeProcessorCount)).map { _ in
            HistoryWriter(try HistoryDatabase.open(path: f.path))
        }
        let events = EventLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in writers {
                group.addTask {
                    do {
                        let run = try await writer.beginRun(
                            RunInfo(endpoint: "e", projectID: "p", scope: .all), lockWait: .seconds(60))
                        events.append("acquired")
                        try await writer.finishRun(run, status: .complete)
                    } catch StoreError.locked {
                        events.append("gave up")
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(100))
                events.append("probe ran")
                try await f.writer.finishRun(holder, status: .complete)
            }
            try await group.waitForAll()
        }
        #expect(events.all.first == "probe ran", "\(events.all)")
        #expect(events.all.filter { $0 == "acquired" }.count == writers.count, "\(events.all)")
    }

    @Test("the lock is released when the run finishes, not when the run value goes away")
    func lockReleasedAtFinish() async throws {
        let f = try StoreFixture()
        let run = try await f.writer.beginRun(RunInfo(endpoint: "e", projectID: "p", scope: .all))
        try await f.writer.finishRun(run, status: .complete)
        let next = try await HistoryWriter(try HistoryDatabase.open(path: f.path))
            .beginRun(RunInfo(endpoint: "e", projectID: "p", scope: .all), lockWait: .zero)
        withExtendedLifetime(run) {}
        try await f.writer.finishRun(next, status: .complete)
        #expect(try f.store.runs().map(\.status) == [.complete, .complete])
    }

    @Test("an in-memory history records, reports and verifies like a file")
    func inMemory() async throws {
        let f = try StoreFixture(inMemory: true)
        try await f.run(night: 1, try standardGateway(id: "a"), try standardGateway(id: "b"))
        let outcomes = try await f.run(
            night: 2, try standardGateway(id: "a", name: "renamed"), try standardGateway(id: "b"))
        #expect(outcomes == [.changed, .unchanged])
        #expect(
            try f.changes().map { "\($0.gatewayID) \($0.change.rawValue) \($0.field)" }
                == ["a first-seen ", "b first-seen ", "a modified name"])
        #expect(try f.verify().isIntact)
        #expect(!FileManager.default.fileExists(atPath: f.path))
    }

    @Test("a batch naming one gateway twice is refused whole")
    func duplicateInBatch() async throws {
        let f = try StoreFixture(inMemory: true)
        let run = try await f.writer.beginRun(RunInfo(endpoint: "e", projectID: "p", scope: .all))
        let observation = Observation.present(try standardGateway(id: "a"), at: StoreFixture.night(1))
        await #expect(throws: StoreError.invalidBatch(detail: "gateway a appears twice in one batch")) {
            _ = try await f.recorder.record([observation, observation], in: run)
        }
        #expect(try f.store.gateways().isEmpty)
    }
}

/// Events appended from several tasks, in the order they happened.
final class EventLog: Sendable {
    private let events = Mutex<[String]>([])

    func append(_ event: String) { events.withLock { $0.append(event) } }

    var all: [String] { events.withLock { $0 } }
}
