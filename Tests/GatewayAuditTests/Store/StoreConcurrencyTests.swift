import TestSupport
import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditStore

@Suite("Store conformance: collectors of different scopes write one history at once", .serialized)
struct StoreConcurrencyTests {
    /// A run of `project`'s scope (one account and region for all).
    static func info(_ project: String) -> RunInfo {
        RunInfo(
            endpoint: "http://127.0.0.1", projectID: project, scope: .all,
            scopeKey: ScopeKey(account: "acct", cloud: "", region: "r1", projectID: project))
    }

    /// `gateways` seen by `project`'s scope on each of `nights`, five to a batch; the nights' counts, summed.
    static func collect(
        _ gateways: [CustomerGateway], project: String, nights: ClosedRange<Int>, writer: HistoryWriter,
        recorder: ObservationRecorder
    ) async throws -> RunCounts {
        var counts = RunCounts()
        for night in nights {
            let run = try await writer.beginRun(info(project), at: StoreFixture.night(night), lockWait: .seconds(30))
            let at = StoreFixture.night(night).adding(seconds: 60)
            for batch in stride(from: 0, to: gateways.count, by: 5) {
                let batch = gateways[batch..<min(batch + 5, gateways.count)].map { Observation.present($0, at: at) }
                for outcome in try await recorder.record(batch, in: run) { counts.add(outcome) }
            }
            try await writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
        }
        return counts
    }

    /// Five nights of 40 gateways in `project`, in batches of 10 (so the scopes' transactions interleave).
    static func collect(project: String, writer: HistoryWriter, recorder: ObservationRecorder) async throws {
        let info = info(project)
        for night in 1...5 {
            let run = try await writer.beginRun(info, at: StoreFixture.night(night), lockWait: .seconds(30))
            let at = StoreFixture.night(night).adding(seconds: 60)
            for batch in 0..<4 {
                let gateways = try (0..<10).map { index in
                    try standardGateway(id: "\(project)-gw-\(batch * 10 + index)", name: "n\(night / 2)")
                }
                _ = try await recorder.record(gateways.map { .present($0, at: at) }, in: run)
            }
            try await writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
        }
    }

    @Test(
        "two scopes seeing the same resources at once: each move is recorded, verify stays clean",
        arguments: StoreBackend.available)
    func sharedResources(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let (writer, recorder) = (f.writer, f.recorder)
        let gateways = try (0..<60).map { try standardGateway(id: "shared-gw-\($0)") }
        @Sendable func collect(_ project: String, nights: ClosedRange<Int>) async throws {
            _ = try await Self.collect(gateways, project: project, nights: nights, writer: writer, recorder: recorder)
        }
        // Known first, then seen by both scopes at once, night after night: each batch moves them to its scope.
        try await collect("pa", nights: 1...1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for project in ["pa", "pb"] { group.addTask { try await collect(project, nights: 2...13) } }
            try await group.waitForAll()
        }
        try f.expectVerified()
    }

    @Test(
        "another scope's write between a batch's prior states and its write: the batch is refused whole, then recorded from fresh ones",
        arguments: StoreBackend.available)
    func staleBatch(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let (writer, recorder) = (f.writer, f.recorder)
        func detail(of error: StoreError?) -> String? {
            if case .concurrentWrite(_, let detail) = error { return detail }
            Issue.record("expected a concurrent write, got \(String(describing: error))")
            return nil
        }
        // Night 1: both scopes see the same ten new gateways; "pb" read their prior states (none) before
        // "pa" recorded them. Its batch would insert them a second time.
        let at = StoreFixture.night(1).adding(seconds: 60)
        let seen = try (0..<10).map { Observation.present(try standardGateway(id: "gw-\($0)"), at: at) }
        let (runA, runB) = (try await writer.beginRun(Self.info("pa")), try await writer.beginRun(Self.info("pb")))
        let staleNew = try await recorder.writes(for: seen)
        #expect(try await recorder.record(seen, in: runA) == Array(repeating: .new, count: 10))
        let refused = await #expect(throws: StoreError.self) { try await writer.record(staleNew, in: runB) }
        let duplicate =
            backend == .sqlite
            ? "UNIQUE constraint failed: gateway.gateway_id"
            : "duplicate key value violates unique constraint \"gateway_gateway_id_key\""
        #expect(detail(of: refused) == duplicate)
        // Nothing of the batch was stored: the gateways are still "pa"'s, and run "pb" counts nothing.
        #expect(try f.store.gateways().map(\.scope.projectID) == Array(repeating: "pa", count: 10))
        // Recorded again from fresh prior states, the batch moves them, unchanged, to "pb".
        #expect(try await recorder.record(seen, in: runB) == Array(repeating: .unchanged, count: 10))
        try await writer.finishRun(runA, status: .complete, at: at.adding(seconds: 1))
        try await writer.finishRun(runB, status: .complete, at: at.adding(seconds: 2))

        // Night 2: "pb" prepared gw-0 renamed against the night-1 snapshot; "pa" records gw-0 renamed
        // otherwise first, closing that snapshot.
        let later = StoreFixture.night(2).adding(seconds: 60)
        let (runA2, runB2) = (try await writer.beginRun(Self.info("pa")), try await writer.beginRun(Self.info("pb")))
        let renamedA: [Observation] = [.present(try standardGateway(id: "gw-0", name: "a"), at: later)]
        let renamedB: [Observation] = [.present(try standardGateway(id: "gw-0", name: "b"), at: later)]
        let staleChange = try await recorder.writes(for: renamedB)
        #expect(try await recorder.record(renamedA, in: runA2) == [.changed])
        let forked = await #expect(throws: StoreError.self) { try await writer.record(staleChange, in: runB2) }
        #expect(detail(of: forked) == "gateway gw-0: its latest snapshot changed since it was read")
        #expect(try await recorder.record(renamedB, in: runB2) == [.changed])
        try await writer.finishRun(runA2, status: .complete, at: later.adding(seconds: 1))
        try await writer.finishRun(runB2, status: .complete, at: later.adding(seconds: 2))

        let runs = try f.store.runs()
        #expect(runs.map(\.counts.observed) == [1, 1, 10, 10])
        #expect(runs.map(\.counts.new) == [0, 0, 0, 10])
        #expect(try f.changes().filter { $0.gatewayID == "gw-0" }.map(\.newValue) == [nil, "a", "b"])

        // Nights 3 and 4: a tunnel's status alone moves (DOWN → ACTIVE); "pb" read DOWN before "pa" recorded
        // ACTIVE. Its write would close "pa"'s new window with its own stale mark.
        func tunnel(_ status: String, night: Int) throws -> [Observation] {
            [.present(try KindFixture.connection(status: status), at: StoreFixture.night(night).adding(seconds: 60))]
        }
        let (runA3, runB3) = (try await writer.beginRun(Self.info("pa")), try await writer.beginRun(Self.info("pb")))
        #expect(try await recorder.record(try tunnel("DOWN", night: 3), in: runA3) == [.new])
        try await writer.finishRun(runA3, status: .complete, at: StoreFixture.night(3).adding(seconds: 61))
        try await writer.finishRun(runB3, status: .complete, at: StoreFixture.night(3).adding(seconds: 62))
        let (runA4, runB4) = (try await writer.beginRun(Self.info("pa")), try await writer.beginRun(Self.info("pb")))
        let staleStatus = try await recorder.writes(for: try tunnel("ACTIVE", night: 4))
        #expect(try await recorder.record(try tunnel("ACTIVE", night: 4), in: runA4) == [.unchanged])
        let moved = await #expect(throws: StoreError.self) { try await writer.record(staleStatus, in: runB4) }
        #expect(detail(of: moved) == "gateway vpnc-1: its status changed since it was read")
        #expect(try await recorder.record(try tunnel("ACTIVE", night: 4), in: runB4) == [.unchanged])
        try await writer.finishRun(runA4, status: .complete, at: StoreFixture.night(4).adding(seconds: 61))
        try await writer.finishRun(runB4, status: .complete, at: StoreFixture.night(4).adding(seconds: 62))
        // One window closed when ACTIVE was first seen, one open: none ends before it starts.
        var windows: [StatusRow] = []
        try f.store.forEachStatusRow(ReportFilter(kinds: [.vpnConnection])) { windows.append($0) }
        #expect(windows.map(\.status) == ["DOWN", "ACTIVE"])
        #expect(windows.first?.lastSeen == StoreFixture.night(3).adding(seconds: 60))
        #expect(windows.allSatisfy { $0.firstSeen <= $0.lastSeen })
        try f.expectVerified()
    }

    @Test(
        "two scopes discovering the same new resources at the same moment: every batch is stored, verify stays clean",
        arguments: StoreBackend.available)
    func sharedDiscovery(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let (writer, recorder) = (f.writer, f.recorder)
        let gateways = try (0..<60).map { try standardGateway(id: "found-gw-\($0)") }
        // Nothing known yet: both scopes find each gateway new, read their prior states at about the same
        // time, and one of them records it first.
        let counts = try await withThrowingTaskGroup(of: RunCounts.self) { group in
            for project in ["pa", "pb"] {
                group.addTask {
                    try await Self.collect(
                        gateways, project: project, nights: 1...1, writer: writer, recorder: recorder)
                }
            }
            return try await group.reduce(into: [RunCounts]()) { $0.append($1) }
        }
        #expect(counts.map(\.observed) == [60, 60])
        // Each gateway is new to exactly one scope and seen again, unchanged, by the other.
        #expect(counts.map(\.new).reduce(0, +) == 60)
        #expect(counts.map(\.unchanged).reduce(0, +) == 60)
        #expect(try f.store.statistics().gateways == 60)
        try f.expectVerified()
    }

    @Test(
        "four scopes at once: no lost or interleaved rows, every scope's chain verifies",
        arguments: StoreBackend.available)
    func fourScopes(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let projects = ["p1", "p2", "p3", "p4"]
        let (writer, recorder) = (f.writer, f.recorder)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for project in projects {
                group.addTask { try await Self.collect(project: project, writer: writer, recorder: recorder) }
            }
            try await group.waitForAll()
        }
        let runs = try f.store.runs()
        #expect(runs.count == 20 && Set(runs.map(\.id)) == Set(1...20))
        #expect(runs.allSatisfy { $0.status == .complete && $0.counts.observed == 40 })
        for project in projects {
            let own = runs.filter { $0.scopeKey.projectID == project }
            #expect(own.map(\.counts.new) == [0, 0, 0, 0, 40])
            #expect(own.map(\.counts.changed) == [0, 40, 0, 40, 0])
        }
        let statistics = try f.store.statistics()
        #expect(statistics.gateways == 160 && statistics.snapshots == 160 * 3)
        #expect(try f.store.gateways().allSatisfy { $0.scope.projectID == String($0.gatewayID.rawValue.prefix(2)) })
        #expect(try f.verify().problems.isEmpty)
    }

    @Test("a night of 1,200 read on the writer's connection sees what another connection wrote since its last batch")
    func writerReadAfterOtherProcess() async throws {
        let f = try StoreFixture()
        // A second handle on the file: its own writer connection, as another process would have.
        let other = try HistoryDatabase.open(path: f.path)
        let otherRecorder = ObservationRecorder(writer: HistoryWriter(other))
        #expect(1_200 >= HistoryWriter.writerReadMinimum)
        func night(_ n: Int, renaming gw0: String?) throws -> [Observation] {
            try (0..<1_200).map { index in
                let name = index == 0 ? gw0 ?? "branch-1" : "branch-1"
                return .present(try standardGateway(id: "gw-\(index)", name: name), at: StoreFixture.night(n))
            }
        }
        func record(_ observations: [Observation], night n: Int, recorder: ObservationRecorder) async throws
            -> [ObservationOutcome]
        {
            let writer = recorder.writer
            let run = try await writer.beginRun(Self.info("pa"), at: StoreFixture.night(n), lockWait: .seconds(30))
            let outcomes = try await recorder.record(observations, in: run)
            try await writer.finishRun(run, status: .complete, at: StoreFixture.night(n).adding(seconds: 1))
            return outcomes
        }
        let first = try await record(try night(1, renaming: nil), night: 1, recorder: f.recorder)
        #expect(first == .init(repeating: .new, count: 1_200))
        // The other handle renames gw-0 between this handle's nights.
        let renamed = try night(2, renaming: "x")
        #expect(try await record([renamed[0]], night: 2, recorder: otherRecorder) == [.changed])
        // This handle's next night brings "x" again: unchanged against the other handle's snapshot, not
        // changed against the one this connection wrote and last read (which would also be refused as stale).
        let third = try await record(try night(3, renaming: "x"), night: 3, recorder: f.recorder)
        #expect(third == .init(repeating: .unchanged, count: 1_200))
        #expect(try await record(try night(4, renaming: "y"), night: 4, recorder: f.recorder).first == .changed)
        #expect(try f.changes().filter { $0.gatewayID == "gw-0" }.map(\.newValue) == [nil, "x", "y"])
        #expect(try f.store.runs().map(\.counts.observed) == [1_200, 1_200, 1, 1_200])
        try f.expectVerified()
    }
}
