import Testing

@testable import GatewayAuditCore
@testable import GatewayAuditStore

extension StoreConformanceTests {
    @Test(
        "a resource re-created under a new id names its predecessor, also one that went in the same batch",
        arguments: StoreBackend.available)
    func recreation(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let other = try standardGateway(id: "gw-a", extra: ["id_value": "198.51.100.7"])
        try await f.runResources(
            night: 1, [other.resource, try standardGateway(id: "gw-old").resource, try KindFixture.connection()])
        try await f.run(night: 2, [.gone, .gone], ids: ["gw-old", "vpnc-1"])
        try await f.runResources(
            night: 3, [try standardGateway(id: "gw-new").resource, try KindFixture.connection(id: "vpnc-2")])
        // No resource of the history had gone with gw-a's identity before this batch.
        let successor = try standardGateway(id: "gw-b", extra: ["id_value": "198.51.100.7"])
        #expect(try await f.run(night: 4, [.gone, .present(successor)], ids: ["gw-a", "gw-b"]) == [.gone, .new])
        let firstSeen = try f.changes().filter { $0.change == .firstSeen }.map {
            "\($0.gatewayID) \($0.oldValue ?? "-")"
        }
        #expect(firstSeen == ["gw-a -", "gw-old -", "vpnc-1 -", "gw-new gw-old", "vpnc-2 vpnc-1", "gw-b gw-a"])
        #expect(try f.verify().problems.isEmpty)
    }
}
