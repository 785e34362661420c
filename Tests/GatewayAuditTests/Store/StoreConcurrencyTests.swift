import TestSupport
import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditStore

@Suite("Store conformance: collectors of different scopes write one history at once", .serialized)
struct StoreConcurrencyTests {
    /// Five nights of 40 gateways in `project`, in batches of 10 (so the scopes' transactions interleave).
    static func collect(project: String, writer: HistoryWriter, recorder: ObservationRecorder) async throws {
        let info = RunInfo(
            endpoint: "http://127.0.0.1", projectID: project, scope: .all,
            scopeKey: ScopeKey(account: "acct", cloud: "", region: "r1", projectID: project))
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
            let info = RunInfo(
                endpoint: "http://127.0.0.1", projectID: project, scope: .all,
                scopeKey: ScopeKey(account: "acct", cloud: "", region: "r1", projectID: project))
            for night in nights {
                let run = try await writer.beginRun(info, at: StoreFixture.night(night), lockWait: .seconds(30))
                let at = StoreFixture.night(night).adding(seconds: 60)
                for batch in stride(from: 0, to: gateways.count, by: 5) {
                    _ = try await recorder.record(
                        gateways[batch..<batch + 5].map { .present($0, at: at) }, in: run)
                }
                try await writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
            }
        }
        // Known first, then seen by both scopes at once, night after night: each batch moves them to its scope.
        try await collect("pa", nights: 1...1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for project in ["pa", "pb"] { group.addTask { try await collect(project, nights: 2...13) } }
            try await group.waitForAll()
        }
        let verification = try f.verify()
        #expect(verification.problems.isEmpty, "\(verification.problems.prefix(3))")
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
}
