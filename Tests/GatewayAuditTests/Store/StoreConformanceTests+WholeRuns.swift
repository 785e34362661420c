import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditStore

extension StoreConformanceTests {
    @Test(
        "a run recorded whole stores its run, batch and seal together, or nothing when the batch fails inside the transaction",
        arguments: StoreBackend.available)
    func wholeRuns(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        try await f.run(night: 1, try standardGateway(id: "a"), try standardGateway(id: "b"))
        let imported = RunInfo(endpoint: "import", projectID: "", scope: .import)
        let renamed = try standardGateway(id: "a", name: "renamed")
        let other = try standardGateway(id: "a", name: "renamed elsewhere")
        let night2 = StoreFixture.night(2)
        var sneaked = false
        // The writes are prepared against "a"'s snapshot of night 1; before they are stored, a run of another
        // scope (the fixture's collector) records "a" changed, closing that snapshot. The whole run's batch
        // then fails after its run row was inserted: the transaction takes the run row back with it.
        let error = await #expect(throws: StoreError.self) {
            _ = try await f.writer.recordRun(imported, at: night2, finishedAt: night2) {
                () throws(StoreError) -> [SnapshotWrite] in
                let writes = try await f.recorder.writes(for: [.present(renamed, at: night2)])
                do {
                    try await f.run(night: 2, other)
                    sneaked = true
                } catch {
                    Issue.record(error)
                }
                return writes
            }
        }
        #expect(sneaked)
        guard case .concurrentWrite(_, let detail) = error else {
            Issue.record("expected a concurrent write, got \(String(describing: error))")
            return
        }
        #expect(detail == "gateway a: its latest snapshot changed since it was read")
        #expect(try f.store.runs().map(\.scope) == [.all, .all])
        #expect(try f.store.runs().map(\.status) == [.complete, .complete])
        #expect(try f.verify().isIntact)

        // Prepared under the lock with nothing in between, the same run is stored whole: one run, complete,
        // sealed, its outcome returned, and the history still verifies.
        let night3 = StoreFixture.night(3)
        let added = try standardGateway(id: "c")
        let recorded = try await f.writer.recordRun(imported, at: night3, finishedAt: night3) {
            () throws(StoreError) -> [SnapshotWrite] in
            try await f.recorder.writes(for: [.present(renamed, at: night3), .present(added, at: night3)])
        }
        #expect(recorded.outcomes == [.changed, .new])
        #expect(recorded.abortedRuns.isEmpty)
        let runs = try f.store.runs()
        #expect(runs.map(\.id) == [recorded.id, 2, 1])
        #expect(runs.first?.status == .complete && runs.first?.scope == .import)
        #expect(runs.first?.counts.changed == 1 && runs.first?.counts.new == 1)
        #expect(try f.verify().isIntact)
    }
}
