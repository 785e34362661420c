import Crypto
import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditStore

@Suite("The chain head a run seals")
struct ChainHeadTests {
    @Test("a run's head hashes exactly its scope's resources, whether the history holds one scope or several")
    func headOfScope() async throws {
        let f = try StoreFixture()
        let gateways = try (0..<6).map { try standardGateway(id: "gw-\($0)") }
        try await f.run(night: 1, gateways.map { .present($0) }, ids: gateways.map(\.id))
        // One scope: every resource is in it.
        #expect(try sealedHead(f, run: 1) == expectedHead(f, run: 1))
        // A second project's run sees a resource of its own: the history now holds two scopes.
        let other = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .all), at: StoreFixture.night(2))
        let at = StoreFixture.night(2).adding(seconds: 60)
        _ = try await f.recorder.record([.present(try standardGateway(id: "gw-q", name: "other"), at: at)], in: other)
        try await f.writer.finishRun(other, status: .complete, at: at.adding(seconds: 1))
        try await f.run(night: 3, gateways.map { .present($0) }, ids: gateways.map(\.id))
        #expect(try sealedHead(f, run: 2) == expectedHead(f, run: 2))
        #expect(try sealedHead(f, run: 3) == expectedHead(f, run: 3))
        #expect(try expectedHead(f, run: 3) != expectedHead(f, run: 1, allResources: true))
        #expect(try f.verify().isIntact)
    }

    @Test("heads sealed from the lines the writer keeps between runs are those of the tables, night after night")
    func keptLines() async throws {
        let f = try StoreFixture()
        let ids = (0..<8).map { GatewayID("gw-\($0)") }
        func night(_ n: Int, _ results: [Observation.Result], ids: [GatewayID]) async throws {
            try await f.run(night: n, results, ids: ids)
            #expect(try sealedHead(f, run: n) == expectedHead(f, run: n), "night \(n)")
        }
        let first = try ids.map { try standardGateway(id: $0.rawValue) }
        try await night(1, first.map { .present($0) }, ids: ids)
        #expect(f.database.chainHeads.keptScopes == 1)
        // Two renamed (changed), the rest unchanged.
        var current = first
        for index in [1, 5] { current[index] = try standardGateway(id: ids[index].rawValue, name: "renamed") }
        try await night(2, current.map { .present($0) }, ids: ids)
        // Two gone and one failed lookup; a new resource re-creates none yet.
        var results: [Observation.Result] = current.map { .present($0) }
        results[2] = .gone
        results[6] = .gone
        results[3] = .failed("HTTP 500")
        try await night(3, results, ids: ids)
        // One gone resource comes back, another id takes the gone one's identity (a re-creation), an id
        // never seen fails, and one is still gone.
        results = current.map { .present($0) }
        results[6] = .gone
        let newIDs = ids + [GatewayID("gw-new"), GatewayID("gw-000"), GatewayID("gw-zz")]
        results += [
            .present(try standardGateway(id: "gw-new")), .present(try standardGateway(id: "gw-000", name: "first")),
            .failed("HTTP 500"),
        ]
        try await night(4, results, ids: newIDs)
        // Unchanged.
        try await night(5, results, ids: newIDs)
        #expect(f.database.chainHeads.keptScopes == 1)
        #expect(try f.verify().isIntact)
    }

    @Test("a commit by another connection between two runs makes the next seal read the scope's resources again")
    func otherConnection() async throws {
        let f = try StoreFixture()
        let gateways = try (0..<4).map { try standardGateway(id: "gw-\($0)") }
        try await f.run(night: 1, gateways.map { .present($0) }, ids: gateways.map(\.id))
        // The sqlite3 shell rewrites one resource's link: the lines kept from run 1 no longer hold.
        _ = try sqlite3(
            f.path,
            "UPDATE snapshot SET chain_sha256 = zeroblob(32) WHERE gateway = (SELECT id FROM gateway WHERE gateway_id = 'gw-2')"
        )
        try await f.run(night: 2, gateways.map { .present($0) }, ids: gateways.map(\.id))
        #expect(try sealedHead(f, run: 2) == expectedHead(f, run: 2))
        #expect(try sqlite3(f.path, "SELECT count(*) FROM snapshot WHERE chain_sha256 = zeroblob(32)") == "1\n")
    }

    @Test("a resource moving to another scope drops the kept lines: both scopes' seals read their resources again")
    func scopeMove() async throws {
        let f = try StoreFixture()
        let gateways = try (0..<4).map { try standardGateway(id: "gw-\($0)") }
        try await f.run(night: 1, gateways.map { .present($0) }, ids: gateways.map(\.id))
        try await f.run(night: 2, gateways.map { .present($0) }, ids: gateways.map(\.id))
        // Project q sees gw-3: it moves there.
        let other = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .all), at: StoreFixture.night(3))
        let at = StoreFixture.night(3).adding(seconds: 60)
        _ = try await f.recorder.record([.present(gateways[3], at: at)], in: other)
        try await f.writer.finishRun(other, status: .complete, at: at.adding(seconds: 1))
        #expect(try sealedHead(f, run: 3) == expectedHead(f, run: 3))
        // A run of p that records nothing (no batch to notice the move) seals p without gw-3.
        try await f.run(night: 4, [], ids: [])
        #expect(try sealedHead(f, run: 4) == expectedHead(f, run: 4))
        try await f.run(night: 5, gateways.dropLast().map { .present($0) }, ids: gateways.dropLast().map(\.id))
        #expect(try sealedHead(f, run: 5) == expectedHead(f, run: 5))
        #expect(try sqlite3(f.path, "SELECT project_id FROM gateway WHERE gateway_id = 'gw-3'") == "q\n")
        #expect(try f.verify().isIntact)
    }

    private func sealedHead(_ f: StoreFixture, run: Int) throws -> String {
        try sqlite3(f.path, "SELECT chain_head FROM run WHERE id = \(run)").trimmingCharacters(in: .newlines)
    }

    /// The head as the design describes it, computed by the sqlite3 shell and this test: SHA-256 of one
    /// `id:link` line per resource of the run's scope, in id order.
    private func expectedHead(_ f: StoreFixture, run: Int, allResources: Bool = false) throws -> String {
        let scope =
            allResources
            ? "1"
            : """
            (g.account, g.cloud, g.region, g.project_id) =
                (SELECT account, cloud, region, project_id FROM run WHERE id = \(run))
            """
        let lines = try sqlite3(
            f.path,
            """
            SELECT g.gateway_id || ':' || lower(hex(s.chain_sha256)) FROM gateway g
            JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL WHERE \(scope) ORDER BY g.gateway_id
            """)
        return SHA256.hash(data: Data(lines.utf8)).hexString
    }
}
