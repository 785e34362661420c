import Testing

@testable import GatewayAuditCore
@testable import GatewayAuditStore

extension StoreConformanceTests {
    /// A gateway of the batch tests: its own identity, so no new one re-creates another.
    private func numbered(_ index: Int, name: String? = nil) throws -> CustomerGateway {
        let id = "g" + String(index + 1000).dropFirst()
        return try standardGateway(
            id: id, name: name ?? "branch-\(index)", extra: ["id_value": .string("10.0.\(index / 256).\(index % 256)")])
    }

    @Test(
        "a batch of most of the history (read in one pass) and one of a few (read by id) give the same outcomes, marks and scopes",
        arguments: StoreBackend.available)
    func batchReads(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let gateways = try (0..<100).map { try numbered($0) }
        let ids = gateways.map(\.id)
        #expect(
            try await f.run(night: 1, gateways.map { .present($0) }, ids: ids) == Array(repeating: .new, count: 100))

        // Night 2, the whole history and one more: g005 renamed, g050 gone, g100 new.
        var night2 = gateways.map { Observation.Result.present($0) }
        night2[5] = .present(try numbered(5, name: "renamed"))
        night2[50] = .gone
        var expected2 = Array(repeating: ObservationOutcome.unchanged, count: 101)
        (expected2[5], expected2[50], expected2[100]) = (.changed, .gone, .new)
        #expect(try await f.run(night: 2, night2 + [.present(try numbered(100))], ids: ids + ["g100"]) == expected2)

        // Night 3, ten of 101 (read by id): g005 renamed again.
        var night3 = (0..<10).map { Observation.Result.present(gateways[$0]) }
        night3[5] = .present(try numbered(5, name: "renamed-again"))
        var expected3 = Array(repeating: ObservationOutcome.unchanged, count: 10)
        expected3[5] = .changed
        #expect(try await f.run(night: 3, night3, ids: Array(ids[0..<10])) == expected3)

        // Night 4, by a run of another project: g020…g099 in one pass, the rows of the others left alone.
        let run = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .all), at: StoreFixture.night(4))
        let at = StoreFixture.night(4).adding(seconds: 60)
        let night4 = (20..<100).map { index in
            Observation(gatewayID: ids[index], observedAt: at, result: index == 50 ? .gone : .present(gateways[index]))
        }
        var expected4 = Array(repeating: ObservationOutcome.unchanged, count: 80)
        expected4[30] = .stillGone
        #expect(try await f.recorder.record(night4, in: run) == expected4)
        try await f.writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))

        let latest = Dictionary(
            try f.history().map { ($0.gatewayID, $0) }, uniquingKeysWith: { $0.seq > $1.seq ? $0 : $1 })
        let marks = ["g000", "g005", "g019", "g020", "g050", "g099", "g100"].map { id in
            let row = latest[GatewayID(id)]
            return
                "\(id) #\(row?.seq ?? 0) \(row?.state.rawValue ?? "-") night \(Self.nightOf(row?.lastSeen)) \(row?.scope.projectID ?? "-")"
        }
        #expect(
            marks == [
                "g000 #1 present night 3 p", "g005 #3 present night 3 p", "g019 #1 present night 2 p",
                "g020 #1 present night 4 q", "g050 #2 gone night 4 q", "g099 #1 present night 4 q",
                "g100 #1 present night 2 p",
            ])
        let modified = try f.changes().filter { $0.change == .modified }.map {
            "\($0.gatewayID) \($0.field) \($0.newValue ?? "-")"
        }
        #expect(modified == ["g005 name renamed", "g005 name renamed-again"])
        // The 80 resources q took over are counted in p's sealed head as they left (scope_move).
        let moved = try f.verify().problems
        #expect(moved.isEmpty, "\(moved)")
        // p's remaining resources, read by id in a batch of a fifth of the history.
        let rest = Array(0..<20) + [100]
        let night5 = try rest.map {
            Observation.Result.present(try numbered($0, name: $0 == 5 ? "renamed-again" : nil))
        }
        #expect(
            try await f.run(night: 5, night5, ids: rest.map { try numbered($0).id })
                == Array(repeating: .unchanged, count: 21))
        let problems = try f.verify().problems
        #expect(problems.isEmpty)
    }

    private static func nightOf(_ instant: Instant?) -> Int {
        guard let instant else { return 0 }
        return Int((instant.seconds - 1_740_794_400) / 86_400) + 1
    }
}
