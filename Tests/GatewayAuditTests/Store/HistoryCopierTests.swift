import TestSupport
import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("copy: a whole history between stores, ids, sequences and chains kept", .serialized)
struct HistoryCopierTests {
    /// The reports a user compares after a copy.
    static func reports(_ f: StoreFixture) throws -> [Data] {
        let generated = Instant(seconds: 1_741_000_000)
        return try [ReportView.history, .changes, .status, .timestamps].map { view in
            let options = ReportOptions(view: view, format: .csv, generatedAt: generated)
            let path = f.directory.appendingPathComponent("copy-\(options.defaultFileName)").path
            try ReportExport.write(store: f.store, options: options, to: path)
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
    }

    /// A copy, off the cooperative pool (it waits on the stores).
    @discardableResult
    func copy(_ source: StoreFixture, _ target: StoreFixture) async throws -> HistoryCopier.Summary {
        let (from, to) = (source.database, target.database)
        return try await offPool { try HistoryCopier(from: from, to: to).copy() }
    }

    @Test("SQLite → target → SQLite: verify passes, reports and heads identical", arguments: StoreBackend.available)
    func roundTrip(target backend: StoreBackend) async throws {
        let source = try await StoreFixture.make(backend: .sqlite)
        try await IdenticalReportsTests.play(into: source)
        let target = try await StoreFixture.make(backend: backend)
        let summary = try await copy(source, target)
        #expect(summary.copied == 11 && summary.alreadyPresent == 0)
        #expect(try target.verify().problems.isEmpty)
        #expect(try target.store.chainHead() == source.store.chainHead())
        #expect(try target.store.runs() == source.store.runs())
        #expect(try target.store.gateways() == source.store.gateways())
        #expect(try Self.reports(target) == Self.reports(source))
        let back = try await StoreFixture.make(backend: .sqlite)
        try await copy(target, back)
        #expect(try back.verifyFile().problems.isEmpty)
        // PostgreSQL keeps digests as hex text; SQLite as their bytes, whichever store they came from.
        #expect(
            try SQLiteShell.run(
                back.path,
                "SELECT DISTINCT typeof(content_sha256), length(content_sha256), typeof(chain_sha256), length(chain_sha256) FROM snapshot ORDER BY 1"
            ) == "blob|32|blob|32\nnull||blob|32\n")
        #expect(try back.store.chainHead() == source.store.chainHead())
        #expect(try Self.reports(back) == Self.reports(source))
    }

    @Test(
        "resources another project took over are copied with their departure: the copy verifies",
        arguments: StoreBackend.available)
    func scopeMoves(target backend: StoreBackend) async throws {
        let source = try await StoreFixture.make(backend: .sqlite)
        let (a, b) = try (standardGateway(id: "gw-a"), standardGateway(id: "gw-b"))
        try await source.run(night: 1, a, b)
        let run = try await source.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .all), at: StoreFixture.night(2))
        let at = StoreFixture.night(2).adding(seconds: 60)
        #expect(try await source.recorder.record([.present(b, at: at)], in: run) == [.unchanged])
        try await source.writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
        let target = try await StoreFixture.make(backend: backend)
        #expect(try await copy(source, target).copied == 2)
        // Continued after another move: gw-a, copied in p, follows it to q.
        let again = try await source.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .all), at: StoreFixture.night(3))
        #expect(
            try await source.recorder.record([.present(a, at: at.adding(seconds: 86_400))], in: again) == [.unchanged])
        try await source.writer.finishRun(again, status: .complete, at: at.adding(seconds: 86_401))
        #expect(try await copy(source, target).copied == 1)
        let verification = try target.verify()
        #expect(verification.problems.isEmpty, "\(verification.problems)")
        #expect(try target.store.gateways() == source.store.gateways())
        // Back into SQLite: the departures' links as bytes too, whichever store they come from.
        let back = try await StoreFixture.make(backend: .sqlite)
        #expect(try await copy(target, back).copied == 3)
        #expect(try back.verifyFile().problems.isEmpty)
        #expect(
            try SQLiteShell.run(
                back.path, "SELECT typeof(chain_sha256), length(chain_sha256), COUNT(*) FROM scope_move")
                == "blob|32|2\n")
    }

    @Test("copying again continues after the runs already copied", arguments: StoreBackend.available)
    func continues(target backend: StoreBackend) async throws {
        let source = try await StoreFixture.make(backend: .sqlite)
        for night in 1...3 { try await source.run(night: night, try standardGateway(name: "n\(night)")) }
        let target = try await StoreFixture.make(backend: backend)
        #expect(try await copy(source, target).copied == 3)
        for night in 4...6 { try await source.run(night: night, try standardGateway(name: "n\(night % 5)")) }
        let again = try await copy(source, target)
        #expect(again.copied == 3 && again.alreadyPresent == 3)
        #expect(try target.verify().problems.isEmpty)
        #expect(try target.store.chainHead() == source.store.chainHead())
        #expect(try target.history() == source.history())
        // Collecting on into the copy goes on where the source stopped.
        #expect(try await target.run(night: 7, try standardGateway(name: "n1")) == [.unchanged])
        #expect(try target.store.runs().first?.id == 7)
    }

    @Test(
        "a run still running in the source ends the copy before it; once the scope's next run closes it, the copy goes on",
        arguments: StoreBackend.available)
    func runningRun(target backend: StoreBackend) async throws {
        let source = try await StoreFixture.make(backend: .sqlite)
        for night in 1...2 { try await source.run(night: night, try standardGateway(name: "n\(night)")) }
        // A collection killed mid-run (or still going): run 3 is running, with one batch recorded.
        let info = RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all)
        let killed = try await source.writer.beginRun(info, at: StoreFixture.night(3))
        _ = try await source.recorder.record(
            [.present(try standardGateway(name: "n3"), at: StoreFixture.night(3).adding(seconds: 60))], in: killed)
        let target = try await StoreFixture.make(backend: backend)
        let first = try await copy(source, target)
        #expect(first.copied == 2 && first.stoppedAt == 3)
        #expect(try target.store.runs().map(\.id) == [2, 1])
        #expect(try target.verify().problems.isEmpty)
        // The process dies (its lock goes, the row stays); the next run closes run 3 as aborted, and the copy
        // takes both, identical to the source.
        killed.lock?.release()
        try await source.run(night: 4, try standardGateway(name: "n4"))
        let second = try await copy(source, target)
        #expect(second.copied == 2 && second.alreadyPresent == 2 && second.stoppedAt == nil)
        #expect(try target.store.runs().map(\.status) == [.complete, .aborted, .complete, .complete])
        #expect(try target.verify().problems.isEmpty)
        #expect(try target.store.chainHead() == source.store.chainHead())
    }

    @Test(
        "a copy that stops before a resource moved scope holds it in the scope the copied runs sealed; extra run columns stay behind",
        arguments: StoreBackend.available)
    func stopsBeforeMove(target backend: StoreBackend) async throws {
        let source = try await StoreFixture.make(backend: .sqlite)
        let p1 = RunInfo(endpoint: "http://127.0.0.1", projectID: "p1", scope: .all)
        let p2 = RunInfo(endpoint: "http://127.0.0.1", projectID: "p2", scope: .all)
        func night(_ n: Int, _ info: RunInfo, _ ids: [String], finish: Bool = true) async throws -> ActiveRun {
            let run = try await source.writer.beginRun(info, at: StoreFixture.night(n), lockWait: .seconds(5))
            _ = try await source.recorder.record(
                try ids.map { .present(try standardGateway(id: $0), at: StoreFixture.night(n).adding(seconds: 60)) },
                in: run)
            if finish {
                try await source.writer.finishRun(run, status: .complete, at: StoreFixture.night(n).adding(seconds: 90))
            }
            return run
        }
        _ = try await night(1, p1, ["g1", "g2"])
        // Run 2 of p1 is killed mid-run; meanwhile p2's run 3 takes g1 over.
        let killed = try await night(2, p1, ["g2"], finish: false)
        _ = try await night(2, p2, ["g1"])
        // A database administrator's own column: not the target's, and never pasted into its SQL.
        let sourcePath = source.path
        try await offPool { try SQLiteShell.run(sourcePath, "ALTER TABLE run ADD COLUMN \"dba_note\" TEXT") }
        let target = try await StoreFixture.make(backend: backend)
        let first = try await copy(source, target)
        #expect(first.copied == 1 && first.stoppedAt == 2)
        #expect(try target.verify().problems.isEmpty, "g1 is in p1, where run 1 sealed it")
        #expect(try target.store.gateways().map(\.scope.projectID) == ["p1", "p1"])
        killed.lock?.release()
        _ = try await night(3, p1, ["g2"])
        let second = try await copy(source, target)
        #expect(second.copied == 3 && second.stoppedAt == nil)
        #expect(try target.verify().problems.isEmpty)
        #expect(try target.store.gateways().map(\.scope.projectID) == ["p2", "p1"])
        #expect(try target.store.historyHead() == source.store.historyHead())
    }

    @Test("a target holding another history is refused and left as it was", arguments: StoreBackend.available)
    func differentHistory(target backend: StoreBackend) async throws {
        let source = try await StoreFixture.make(backend: .sqlite)
        for night in 1...2 { try await source.run(night: night, try standardGateway()) }
        let target = try await StoreFixture.make(backend: backend)
        try await target.run(night: 5, try standardGateway(id: "gw-9"))
        #expect(throws: StoreError.differentHistory(path: target.database.path, run: 1)) {
            try HistoryCopier(from: source.database, to: target.database).copy()
        }
        #expect(try target.store.runs().count == 1)
        #expect(try target.verify().problems.isEmpty)
    }
}
