import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditStore

/// `v7-open-snapshot-index`: the two reads every run makes of every resource (prior states, chain head)
/// find the open snapshot's hash and link in `snapshot_open_state`, without visiting the snapshot rows.
@Suite("The nightly reads of every resource use the open-snapshot index alone")
struct OpenSnapshotIndexTests {
    /// A history of three gateways over two nights, one renamed and one gone on the second.
    func history() async throws -> StoreFixture {
        let f = try StoreFixture()
        let gateways = try (1...3).map { try gateway(["id": .string("gw-\($0)"), "name": .string("n\($0)")]) }
        try await f.run(night: 1, gateways[0], gateways[1], gateways[2])
        try await f.run(
            night: 2, [.present(try gateway(["id": "gw-1", "name": "renamed"])), .present(gateways[1]), .gone],
            ids: gateways.map(\.id))
        return f
    }

    @Test("the prior states and the chain head read the index, not the snapshot rows")
    func plans() async throws {
        let f = try await history()
        let prior = try sqlite3(f.path, "EXPLAIN QUERY PLAN " + PriorStateReader.select)
        #expect(prior.contains("USING COVERING INDEX snapshot_open_state"), "\(prior)")
        let (condition, _) = ScopeKey(account: "", cloud: "", region: "", projectID: "p").sqlCondition("g")
        let head = try sqlite3(
            f.path, "EXPLAIN QUERY PLAN " + RunRecordChain.headSQL(condition: condition, departed: ""))
        #expect(head.contains("USING COVERING INDEX snapshot_open_state"), "\(head)")
    }

    @Test("the index holds exactly each resource's open snapshot, and the history verifies")
    func entries() async throws {
        let f = try await history()
        let indexed = try sqlite3(
            f.path,
            """
            SELECT group_concat(gateway || ':' || seq || ':' || state, ' ') FROM (
                SELECT gateway, seq, state FROM snapshot INDEXED BY snapshot_open_state
                WHERE last_seen IS NULL ORDER BY gateway)
            """)
        #expect(indexed == "1:2:present 2:1:present 3:2:gone\n")
        #expect(try sqlite3(f.path, "PRAGMA integrity_check") == "ok\n")
        #expect(try f.verify().isIntact)
    }
}
