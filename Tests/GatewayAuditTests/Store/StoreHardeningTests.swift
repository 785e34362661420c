import Foundation
import Synchronization
import Testing

@testable import GatewayAudit

@Suite("Store hardening: unknown values, the lock wait, in-memory databases")
struct StoreHardeningTests {
    @Test(
        "an unknown stored value is an error naming table, column and value, never a default",
        arguments: [
            ("UPDATE run SET status = 'paused' WHERE id = 1", "run", "status", "paused"),
            ("UPDATE run SET scope = 'region' WHERE id = 1", "run", "scope", "region"),
            ("UPDATE snapshot SET state = 'archived' WHERE seq = 1", "snapshot", "state", "archived"),
            ("UPDATE change SET change = 'renamed' WHERE field = 'name'", "change", "change", "renamed"),
            ("UPDATE anomaly SET kind = 'moon-phase' WHERE kind = (SELECT MIN(kind) FROM anomaly)", "anomaly", "kind", "moon-phase"),
        ])
    func unknownValues(sql: String, table: String, column: String, value: String) async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, try standardGateway(id: "a"))
        try await f.run(night: 2, try standardGateway(id: "a", name: "renamed", updated: "2025-02-01T10:00:00.000+02:00"))
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
                + "(written by a newer version, or edited by hand); upgrade gateway-audit, or run `gateway-audit verify`")
    }

    @Test("waiting for the run lock does not hold threads: many waiters wait side by side")
    func lockWaitKeepsPoolFree() async throws {
        let f = try StoreFixture()
        let holder = try await f.writer.beginRun(RunInfo(endpoint: "e", projectID: "p", scope: .all))
        // Four waiters per thread of the cooperative pool. Waiting without a thread, all of them wait
        // their one second side by side; a blocking wait would need four seconds or more, one batch
        // of pool threads after the other, starving every other task meanwhile.
        let writers = try (0..<(4 * ProcessInfo.processInfo.activeProcessorCount)).map { _ in
            HistoryWriter(try HistoryDatabase.open(path: f.path))
        }
        let clock = ContinuousClock()
        let started = clock.now
        let locked = try await withThrowingTaskGroup(of: Bool.self) { group in
            for writer in writers {
                group.addTask {
                    do {
                        _ = try await writer.beginRun(RunInfo(endpoint: "e", projectID: "p", scope: .all), lockWait: .seconds(1))
                        return false
                    } catch StoreError.locked {
                        return true
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        let elapsed = started.duration(to: clock.now)
        #expect(locked == writers.count)
        #expect(elapsed < .milliseconds(2500), "\(writers.count) waiters took \(elapsed)")
        try await f.writer.finishRun(holder, status: .complete)
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
        let outcomes = try await f.run(night: 2, try standardGateway(id: "a", name: "renamed"), try standardGateway(id: "b"))
        #expect(outcomes == [.changed, .unchanged])
        #expect(try f.changes().map { "\($0.gatewayID) \($0.change.rawValue) \($0.field)" }
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

