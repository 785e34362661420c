import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditStore

@Suite("Scopes in the store: own locks, own run-record chains, own heads")
struct ScopeStoreTests {
    static let a = ScopeKey(account: "prod", cloud: "huawei", region: "eu-west-101", projectID: "pa")
    static let b = ScopeKey(account: "otc", cloud: "otc", region: "eu-de", projectID: "pb")

    func info(_ scope: ScopeKey) -> RunInfo {
        RunInfo(endpoint: "http://127.0.0.1:1", projectID: scope.projectID, scope: .all, scopeKey: scope)
    }

    @Test("runs of two scopes overlap; a second run of one scope waits, then fails; both chains verify")
    func overlappingScopes() async throws {
        let f = try StoreFixture()
        let runA = try await f.writer.beginRun(info(Self.a), at: StoreFixture.night(1), lockWait: .zero)
        let other = HistoryWriter(try HistoryDatabase.open(path: f.path))
        let runB = try await other.beginRun(info(Self.b), at: StoreFixture.night(1), lockWait: .zero)
        #expect(runB.abortedRuns.isEmpty, "a run of another scope is not closed as aborted")
        await #expect(throws: StoreError.locked(path: f.path, waitedSeconds: 0.2)) {
            _ = try await other.beginRun(info(Self.a), lockWait: .milliseconds(200))
        }
        _ = try await f.recorder.record([.present(try standardGateway(id: "ga"), at: StoreFixture.night(1))], in: runA)
        _ = try await ObservationRecorder(writer: other).record(
            [.present(try standardGateway(id: "gb"), at: StoreFixture.night(1))], in: runB)
        // B finishes first although it began second: each chain links within its scope.
        let headB = try await other.finishRun(runB, status: .complete, at: StoreFixture.night(1))
        let headA = try await f.writer.finishRun(runA, status: .complete, at: StoreFixture.night(1))
        #expect(headA != headB)
        let next = try await f.writer.beginRun(info(Self.a), at: StoreFixture.night(2), lockWait: .zero)
        _ = try await f.recorder.record([.present(try standardGateway(id: "ga"), at: StoreFixture.night(2))], in: next)
        try await f.writer.finishRun(next, status: .complete, at: StoreFixture.night(2))
        let verification = try f.verify()
        #expect(verification.isIntact, "\(verification.problems)")
        #expect(
            try f.store.gateways().map { "\($0.gatewayID)=\($0.scope)" } == [
                "ga=prod/eu-west-101/pa", "gb=otc/eu-de/pb",
            ])
        #expect(try f.store.runs(limit: nil, ScopeFilter(account: "otc")).map(\.id) == [runB.id])
        #expect(try f.store.runs(limit: nil, ScopeFilter(region: "eu-west-101")).map(\.id) == [next.id, runA.id])
        var filter = ReportFilter()
        filter.scopes = ScopeFilter(projectID: "pb")
        var rows: [HistoryRow] = []
        try f.store.forEachHistoryRow(filter) { rows.append($0) }
        #expect(rows.map(\.gatewayID) == ["gb"])
        #expect(rows.first?.scope == Self.b)
    }

    @Test("a killed run is closed as aborted by the next run of its own scope only")
    func abortedWithinScope() async throws {
        let f = try StoreFixture()
        do {
            _ = try await f.writer.beginRun(info(Self.a), at: StoreFixture.night(1))
        }
        let runB = try await f.writer.beginRun(info(Self.b), at: StoreFixture.night(1), lockWait: .zero)
        #expect(runB.abortedRuns.isEmpty)
        try await f.writer.finishRun(runB, status: .complete)
        let nextA = try await f.writer.beginRun(info(Self.a), at: StoreFixture.night(2), lockWait: .zero)
        #expect(nextA.abortedRuns == [1])
        try await f.writer.finishRun(nextA, status: .complete)
        #expect(try f.verify().isIntact)
    }

    @Test("an edited run of one scope is named; the other scope's chain stays intact")
    func tamperInOneScope() async throws {
        let f = try StoreFixture()
        for scope in [Self.a, Self.b, Self.a] {
            let run = try await f.writer.beginRun(info(scope), at: StoreFixture.night(1), lockWait: .zero)
            try await f.writer.finishRun(run, status: .complete)
        }
        try f.database.checkpoint()
        try sqlite3(f.path, "UPDATE run SET observed = 7 WHERE id = 1")
        let problems = try f.verify().problems
        #expect(
            problems.map(\.description) == [
                "run 1: record differs from its hash: a time, status, count, endpoint or head was edited, "
                    + "or an earlier run was removed"
            ])
    }
}
