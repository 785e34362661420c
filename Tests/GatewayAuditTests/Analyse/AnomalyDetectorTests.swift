import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("Timestamp anomalies: each kind fires on its case and nowhere else")
struct AnomalyDetectorTests {
    static let observed = Instant(seconds: 1_740_794_400)  // 2025-03-01T02:00:00Z

    func found(_ previous: CustomerGateway?, _ current: CustomerGateway) -> [String] {
        let changes = previous.map { FieldDiff.changes(from: $0.canonicalContent, to: current.canonicalContent) } ?? []
        return AnomalyDetector().anomalies(
            current: current, previous: previous, observedAt: Self.observed, changes: changes
        )
        .map { "\($0.field) \($0.kind.rawValue)" }
    }

    @Test("a clean history (create, rename with a newer updated_at, cert rotation) has no anomalies")
    func clean() throws {
        let a = try standardGateway()
        let b = try standardGateway(name: "renamed", updated: "2025-02-10T00:00:00Z")
        let c = try standardGateway(
            name: "renamed", updated: "2025-02-11T00:00:00Z",
            extra: ["ca_certificate": .object(["serial_number": "02", "expire_time": "2099-01-01T00:00:00Z"])])
        #expect(found(nil, a) == [])
        #expect(found(a, b) == [])
        #expect(found(b, c) == [])
    }

    @Test("reformatted: same instant, other text; not a content change")
    func reformatted() throws {
        let a = try standardGateway(updated: "2025-02-01T10:00:00.000Z")
        let b = try standardGateway(updated: "2025-02-01T12:00:00+02:00")
        #expect(found(a, b) == ["updated_at reformatted"])
        #expect(FieldDiff.changes(from: a.canonicalContent, to: b.canonicalContent) == [])
    }

    @Test("created-at-changed: an immutable instant moved, reported as a created_at change too")
    func createdMoved() throws {
        let a = try standardGateway(created: "2025-02-01T10:00:00.000Z")
        let b = try standardGateway(created: "2025-02-01T09:59:53.000Z")
        #expect(found(a, b) == ["created_at created-at-changed"])
        #expect(FieldDiff.changes(from: a.canonicalContent, to: b.canonicalContent).map(\.path) == ["created_at"])
    }

    @Test("updated-at-regressed")
    func regressed() throws {
        let a = try standardGateway(updated: "2025-02-10T00:00:00Z")
        let b = try standardGateway(name: "x", updated: "2025-02-09T00:00:00Z")
        #expect(found(a, b) == ["updated_at updated-at-regressed"])
    }

    @Test("updated-before-created")
    func beforeCreated() throws {
        let g = try standardGateway(created: "2025-02-10T00:00:00Z", updated: "2025-02-09T23:59:59Z")
        #expect(found(nil, g) == ["updated_at updated-before-created"])
    }

    @Test("changed-without-update: a rename with the same updated_at")
    func changedWithoutUpdate() throws {
        let a = try standardGateway()
        let b = try standardGateway(name: "silently-renamed")
        #expect(found(a, b) == ["updated_at changed-without-update"])
    }

    @Test("update-without-change: updated_at advances, nothing else moves")
    func updateWithoutChange() throws {
        let a = try standardGateway()
        let b = try standardGateway(updated: "2025-02-20T00:00:00Z")
        #expect(found(a, b) == ["updated_at update-without-change"])
    }

    @Test("immutable-field-changed: id_value and bgp_asn under the same id")
    func immutable() throws {
        let a = try standardGateway()
        let b = try standardGateway(
            updated: "2025-02-20T00:00:00Z", extra: ["id_value": "198.51.100.7", "bgp_asn": .integer(65001)])
        #expect(found(a, b) == ["id_value immutable-field-changed", "bgp_asn immutable-field-changed"])
    }

    @Test("no-offset, in-the-future and unparseable are found on a single snapshot")
    func singleSnapshot() throws {
        let g = try standardGateway(
            created: "2024-05-21T09:03:41.000000", updated: "2031-01-01T00:00:00Z",
            extra: ["ca_certificate": .object(["expire_time": "soon"])])
        #expect(
            found(nil, g) == [
                "created_at no-offset", "updated_at in-the-future", "ca_certificate.expire_time unparseable",
            ])
    }

    @Test("a timestamp within the tolerance of the observation is not in the future")
    func tolerance() throws {
        let g = try standardGateway(created: "2025-03-01T02:09:59Z", updated: "2025-03-01T02:09:59Z")
        #expect(found(nil, g) == [])
    }
}
