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
