import Foundation
import Testing

@testable import GatewayAuditCore
@testable import GatewayAuditStore

extension StoreConformanceTests {
    /// One complete run of project `project` on night `n` (the fixture's own runs are project p's).
    @discardableResult
    func run(
        _ f: StoreFixture, project: String, night n: Int, _ observations: [(GatewayID, Observation.Result)]
    ) async throws -> [ObservationOutcome] {
        let run = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: project, scope: .all), at: StoreFixture.night(n))
        let at = StoreFixture.night(n).adding(seconds: 60)
        let outcomes = try await f.recorder.record(
            observations.map { Observation(gatewayID: $0.0, observedAt: at, result: $0.1) }, in: run)
        try await f.writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
        return outcomes
    }

    @Test(
        "the last success and the resources of a run's own scope: another project's runs do not stand for it",
        arguments: StoreBackend.available)
    func lastSuccessOfTheScope(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let a = try standardGateway(id: "gw-a")
        try await f.run(night: 1, a)
        // Project q fails on night 2 (its run ends failed); p completes on night 3.
        let failed = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .all), at: StoreFixture.night(2))
        try await f.writer.finishRun(failed, status: .failed, message: "listing failed", at: StoreFixture.night(2))
        try await f.run(night: 3, a)
        let pRuns = try f.store.runs(limit: nil).filter { $0.projectID == "p" }.map(\.id)
        #expect(try f.store.latestFinish(of: .complete) == StoreFixture.night(3).adding(seconds: 61))
        #expect(try f.store.latestFinish(of: .complete, like: failed.id) == nil)
        #expect(try f.store.latestFinish(of: .complete, like: pRuns.first) == StoreFixture.night(3).adding(seconds: 61))
        #expect(try f.store.latestFinish(of: .failed, like: failed.id) == StoreFixture.night(2))
        // Its resources too: q has none, p its one.
        let inQ = try f.store.resourceCounts(inScopeOf: failed.id)
        let inP = try f.store.resourceCounts(inScopeOf: try #require(pRuns.first))
        let counts: [Int] = [inQ.present, inQ.gone, inP.present, inP.gone]
        #expect(counts == [0, 0, 1, 0])
    }

    @Test(
        "resources another project takes over leave the old project's sealed head intact: verify stays clean",
        arguments: StoreBackend.available)
    func takenOverResourcesVerify(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let (a, b, c, d) = try (
            standardGateway(id: "gw-a"), standardGateway(id: "gw-b"), standardGateway(id: "gw-c"),
            standardGateway(id: "gw-d")
        )
        try await f.run(night: 1, a, b, c, d)
        // Project q sees b unchanged, c renamed, d gone: all three now belong to q. Project p has not run
        // since, so the head its night-1 run sealed still counts them, as they were then.
        let renamed = try standardGateway(id: "gw-c", name: "renamed")
        #expect(
            try await run(
                f, project: "q", night: 2, [("gw-b", .present(b)), ("gw-c", .present(renamed)), ("gw-d", .gone)])
                == [.unchanged, .changed, .gone])
        #expect(
            try f.store.gateways().map { "\($0.gatewayID) \($0.scope.projectID)" } == [
                "gw-a p", "gw-b q", "gw-c q", "gw-d q",
            ])
        let afterMove = try f.verify()
        #expect(afterMove.problems.isEmpty, "\(afterMove.problems)")
        // p runs again with what it still has; q again with what it took over; then b comes back to p.
        #expect(try await f.run(night: 3, a) == [.unchanged])
        #expect(
            try await run(f, project: "q", night: 4, [("gw-b", .present(b)), ("gw-c", .present(renamed))]) == [
                .unchanged, .unchanged,
            ])
        #expect(try await f.run(night: 5, a, b) == [.unchanged, .unchanged])
        let later = try f.verify()
        #expect(later.problems.isEmpty, "\(later.problems)")
        #expect(
            try f.store.gateways().map { "\($0.gatewayID) \($0.scope.projectID)" } == [
                "gw-a p", "gw-b p", "gw-c q", "gw-d q",
            ])
    }

    @Test(
        "a resource taken over while the old project's run is still open is not counted in that run's head",
        arguments: StoreBackend.available)
    func takenOverDuringARun(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let (a, b) = try (standardGateway(id: "gw-a"), standardGateway(id: "gw-b"))
        try await f.run(night: 1, a, b)
        // p's night-2 run begins; q takes b over and finishes; p's run then records a and seals without b.
        let open = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .ids), at: StoreFixture.night(2))
        #expect(try await run(f, project: "q", night: 2, [("gw-b", .present(b))]) == [.unchanged])
        let at = StoreFixture.night(2).adding(seconds: 120)
        #expect(try await f.recorder.record([.present(a, at: at)], in: open) == [.unchanged])
        try await f.writer.finishRun(open, status: .complete, at: at.adding(seconds: 1))
        let verification = try f.verify()
        #expect(verification.problems.isEmpty, "\(verification.problems)")
    }

    @Test(
        "a resource taken back and forth while both projects' runs are open: every batch records, verify stays clean",
        arguments: StoreBackend.available)
    func takenBackAndForth(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let a = try standardGateway(id: "gw-a")
        try await f.run(night: 1, a)
        let q = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .ids), at: StoreFixture.night(2))
        let p = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .ids), at: StoreFixture.night(2))
        let at = StoreFixture.night(2).adding(seconds: 60)
        // q takes gw-a from p, p takes it back, q takes it again (p's night-1 head counts it once).
        #expect(try await f.recorder.record([.present(a, at: at)], in: q) == [.unchanged])
        #expect(try await f.recorder.record([.present(a, at: at.adding(seconds: 1))], in: p) == [.unchanged])
        #expect(try await f.recorder.record([.present(a, at: at.adding(seconds: 2))], in: q) == [.unchanged])
        try await f.writer.finishRun(p, status: .complete, at: at.adding(seconds: 3))
        try await f.writer.finishRun(q, status: .complete, at: at.adding(seconds: 4))
        #expect(try f.store.gateways().map(\.scope.projectID) == ["q"])
        let verification = try f.verify()
        #expect(verification.problems.isEmpty, "\(verification.problems)")
    }
}

@Suite("Scope moves on a SQLite file: tampering and databases from before them")
struct ScopeMoveFileTests {
    /// p records a and b; q takes b over.
    func movedHistory() async throws -> StoreFixture {
        let f = try StoreFixture()
        let (a, b) = try (standardGateway(id: "gw-a"), standardGateway(id: "gw-b"))
        try await f.run(night: 1, a, b)
        let run = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .all), at: StoreFixture.night(2))
        let at = StoreFixture.night(2).adding(seconds: 60)
        _ = try await f.recorder.record([.present(b, at: at)], in: run)
        try await f.writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
        return f
    }

    @Test("the move is recorded with the link it left with; removing that record is named as a removal")
    func departureRecordedAndProtected() async throws {
        let f = try await movedHistory()
        #expect(
            try sqlite3(
                f.path,
                """
                SELECT g.gateway_id, m.run, m.project_id, m.sealed_run, m.chain_sha256 = s.chain_sha256
                FROM scope_move m JOIN gateway g ON g.id = m.gateway JOIN snapshot s ON s.gateway = g.id
                """) == "gw-b|2|p|1|1\n")
        #expect(try f.verifyFile().problems.isEmpty)
        try sqlite3(f.path, "DELETE FROM scope_move")
        let problems = try f.verifyFile().problems.map(\.description)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("the last run of scope -/-/p recorded") == true)
        #expect(problems.first?.hasSuffix("a snapshot was added or removed outside a run") == true)
    }

    @Test("a departure forged to hide a rolled-back snapshot is named: the resource is where no departure took it")
    func forgedDepartureDetected() async throws {
        let f = try await movedHistory()
        // gw-a's latest snapshot rolled back would break p's head; a forged departure from p re-adds its link
        // to p's head, and gw-a is put in a scope no run verifies.
        try sqlite3(
            f.path,
            """
            INSERT INTO scope_move SELECT g.id, 2, g.account, g.cloud, g.region, g.project_id, 1, s.chain_sha256
                FROM gateway g JOIN snapshot s ON s.gateway = g.id WHERE g.gateway_id = 'gw-a';
            UPDATE gateway SET project_id = 'elsewhere' WHERE gateway_id = 'gw-a';
            """)
        let problems = try f.verifyFile().problems.map(\.description)
        #expect(
            problems == [
                "chain head: gateway gw-a is in scope -/-/elsewhere, where none of its departures took it: "
                    + "its scope or a departure was edited outside a run"
            ])
    }

    @Test("a departure naming a run of the scope it left, or no run at all, is named")
    func departureRunsChecked() async throws {
        let f = try await movedHistory()
        // Not p's head (sealed_run 0 and 98 are not its last run), nor gw-b's scope (q is still one it entered):
        // only the runs the two rows name are wrong. The sqlite3 shell does not enforce foreign keys.
        try sqlite3(
            f.path,
            """
            INSERT INTO scope_move SELECT g.id, 1, g.account, g.cloud, g.region, 'p', 0, 'x'
                FROM gateway g WHERE g.gateway_id = 'gw-b';
            INSERT INTO scope_move SELECT g.id, 99, g.account, g.cloud, g.region, 'p', 98, 'x'
                FROM gateway g WHERE g.gateway_id = 'gw-b';
            """)
        #expect(
            try f.verifyFile().problems.map(\.description) == [
                "chain head: the departure from scope -/-/p names run 1 of that scope",
                "chain head: a departure names run 99, which does not exist",
            ])
    }

    @Test("a database from before scope moves verifies read-only, then upgrades and records them")
    func beforeScopeMoves() async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, try standardGateway(id: "gw-a"), try standardGateway(id: "gw-b"))
        try sqlite3(f.path, "DROP TABLE scope_move; DELETE FROM grdb_migrations WHERE identifier = 'v6-scope-moves';")
        #expect(try f.verifyFile().problems.isEmpty)
        let upgraded = try HistoryDatabase.open(path: f.path)
        #expect(
            try sqlite3(f.path, "SELECT COUNT(*) FROM grdb_migrations WHERE identifier = 'v6-scope-moves'") == "1\n")
        #expect(try HistoryVerifier(upgraded).verify().problems.isEmpty)
    }
}
