import Foundation
import Testing

@testable import GatewayAuditCore
@testable import GatewayAuditStore

/// Ids compared as the stores compare them, and contents that keep decoding whatever their row holds.
@Suite("Ids by their bytes; contents with a NUL in their row; an edited content that would inflate without end")
struct StoredIdentityTests {
    /// `é` composed (U+00E9) and `e` with a combining acute accent (U+0065 U+0301): equal as Swift strings.
    static let composed = GatewayID("cgw-caf\u{E9}")
    static let decomposed = GatewayID("cgw-cafe\u{301}")

    @Test("two ids Swift's String holds equal but whose bytes differ are two ids, ordered by their bytes")
    func idsByBytes() {
        #expect(Self.composed.rawValue == Self.decomposed.rawValue, "the premise: String equality merges them")
        #expect(Self.composed != Self.decomposed)
        #expect(Set([Self.composed, Self.decomposed, GatewayID("cgw-caf\u{E9}")]).count == 2)
        // UTF-8: "e" (0x65) sorts before "é" (0xC3 0xA9), as SQLite's binary collation sorts them.
        #expect([Self.composed, Self.decomposed].sorted() == [Self.decomposed, Self.composed])
    }

    @Test(
        "a NUL in id_value or in a changed name: stored, diffed with U+FFFD in the change, verified, listed",
        arguments: StoreBackend.available)
    func nulInRow(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let nul = try standardGateway(extra: ["id_value": .string("203.0.113.10\u{0}x")])
        #expect(try await f.run(night: 1, nul) == [.new])
        #expect(try f.verify().problems.isEmpty)
        let renamed = try standardGateway(
            name: "renamed", updated: "2025-03-04T01:00:00Z", extra: ["id_value": .string("203.0.113.10\u{0}x")])
        #expect(try await f.run(night: 2, renamed) == [.changed])
        #expect(try f.changes().map(\.field).contains("name"))
        // A name that holds one, then another name: both changes keep the rest of the value.
        for (night, name) in [(3, "\u{0}nul"), (4, "branch-4")] {
            let next = try standardGateway(
                name: name, updated: "2025-03-0\(night + 2)T01:00:00Z",
                extra: ["id_value": .string("203.0.113.10\u{0}x")])
            #expect(try await f.run(night: night, next) == [.changed])
        }
        let names = try f.changes().filter { $0.field == "name" }.map { [$0.oldValue, $0.newValue] }
        #expect(names.suffix(2) == [["renamed", "\u{FFFD}nul"], ["\u{FFFD}nul", "branch-4"]])
        #expect(try f.verify().problems.isEmpty)
        #expect(try f.store.gateways().count == 1)
        if backend == .sqlite { #expect(try f.verifyFile().problems.isEmpty) }
    }

    @Test("a stored content that would inflate past the limit does not decode, and one within it does")
    func inflateLimit() throws {
        let row = StoredContent.Row(
            kind: "customer_gateway", id: "gw-1", idValue: nil, createdAt: nil, updatedAt: nil)
        let json = #"{"padding":""# + String(repeating: "x", count: 4 << 20) + #""}"#
        let blob = try #require(ContentDeflater().compressed(json, dictionary: row.dictionary))
        #expect(blob.count < 64 << 10, "the premise: a small BLOB that inflates to 4 MiB")
        #expect(StoredContent.decompressed(blob, row: row, limit: 1 << 20) == nil)
        #expect(StoredContent.decompressed(blob, row: row) == json)
    }
}
