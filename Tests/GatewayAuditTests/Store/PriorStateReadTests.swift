import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditStore

@Suite("The night's read of prior states, from SQLite's own values")
struct PriorStateReadTests {
    /// 1 resource is read by id; 80 (more than a quarter of the history) by one pass over every row.
    @Test(
        "an unknown kind or state in the history refuses the night with the value named; nothing of it is stored",
        arguments: [1, 80],
        [
            ("UPDATE gateway SET kind = 'router' WHERE gateway_id = 'gw-0'", "gateway", "kind", "router"),
            ("UPDATE snapshot SET state = 'archived' WHERE seq = 1 AND gateway = 1", "snapshot", "state", "archived"),
        ])
    func unknownStoredValues(resources: Int, edit: (sql: String, table: String, column: String, value: String))
        async throws
    {
        let f = try StoreFixture()
        let gateways = try (0..<resources).map { try standardGateway(id: "gw-\($0)") }
        try await f.run(night: 1, gateways.map { .present($0) }, ids: gateways.map(\.id))
        try f.database.checkpoint()
        try sqlite3(f.path, "PRAGMA ignore_check_constraints = ON; " + edit.sql)
        await #expect(
            throws: StoreError.unknownValue(path: f.path, table: edit.table, column: edit.column, value: edit.value)
        ) {
            try await f.run(night: 2, gateways.map { .present($0) }, ids: gateways.map(\.id))
        }
        #expect(try sqlite3(f.path, "SELECT COUNT(*), MAX(first_run) FROM snapshot") == "\(resources)|1\n")
        #expect(try sqlite3(f.path, "SELECT COUNT(*) FROM change WHERE snapshot > \(resources)") == "0\n")
    }

    @Test("nights read by id and in one pass find the same resources: unchanged, changed, gone and new")
    func bothReadsAgree() async throws {
        for count in [3, 80] {
            let f = try StoreFixture()
            let first = try (0..<count).map { try standardGateway(id: "gw-\($0)") }
            try await f.run(night: 1, first.map { .present($0) }, ids: first.map(\.id))
            // Night 2: the first renamed, the second gone, the rest unchanged, one new.
            var results: [Observation.Result] = [.present(try standardGateway(id: "gw-0", name: "renamed")), .gone]
            results += first.dropFirst(2).map { .present($0) }
            results.append(.present(try standardGateway(id: "gw-new")))
            let ids = first.map(\.id) + ["gw-new"]
            let outcomes = try await f.run(night: 2, results, ids: ids)
            #expect(
                outcomes == [.changed, .gone] + Array(repeating: .unchanged, count: count - 2) + [.new], "\(count)")
            #expect(try f.verify().isIntact)
        }
    }

    @Test("a batch's ids are found by their bytes, whatever their length or script; absent ones are not")
    func batchPositions() throws {
        let ids =
            ["", "a", "gw-1", "gw-10", "gw-100", "Zürich-1", String(repeating: "x", count: 300)]
            + (0..<500).map { "00000000-0000-4000-8000-\(String(format: "%012d", $0))" }
        let at = Instant(nanosecondsSinceEpoch: 0)
        let positions = try BatchPositions(
            ids.map { Observation(gatewayID: GatewayID($0), observedAt: at, result: .gone) })
        for (position, id) in ids.enumerated() {
            var text = id
            #expect(text.withUTF8 { positions.position(of: UnsafeRawBufferPointer($0)) } == position, "\(id)")
        }
        for absent in ["b", "gw-", "gw-1000", "Zurich-1", String(repeating: "x", count: 299)] {
            var text = absent
            #expect(text.withUTF8 { positions.position(of: UnsafeRawBufferPointer($0)) } == nil, "\(absent)")
        }
    }

    @Test("a stored digest's bytes match only their own lower-case hex; a text only itself")
    func storedHashMatches() throws {
        // SHA-256 of nothing.
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let bytes = try #require(StoredDigest.bytes(hex: hex))
        let stored = bytes.withUnsafeBytes { StoredHash.bytes(.init($0)) }
        #expect(stored.hex == hex)
        #expect(stored.matches(hex: hex))
        #expect(!stored.matches(hex: hex.uppercased()))
        #expect(!stored.matches(hex: String(hex.dropLast())))
        #expect(!stored.matches(hex: String(hex.dropLast()) + "4"))
        #expect(!stored.matches(hex: "f" + hex.dropFirst()))
        #expect(StoredHash.text(hex.uppercased()).matches(hex: hex.uppercased()))
        #expect(!StoredHash.text(hex.uppercased()).matches(hex: hex))
    }
}
