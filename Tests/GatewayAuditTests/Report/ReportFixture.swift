import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// A fixed history with every kind of event and the hostile names reports must survive.
enum ReportFixture {
    static let hostileNames = [
        "=HYPERLINK(\"http://x\")", "<script>alert(1)</script>", "\"quoted, name\"", "line one\nline two",
        "🚀 branch Zürich", "פרויקט-גבול", "-minus", "@at", "+plus", "'quoted-start",
    ]

    static func build() async throws -> StoreFixture {
        let f = try StoreFixture()
        let cert1: JSONValue = .object(["serial_number": "01", "expire_time": "2026-01-01T00:00:00Z"])
        let cert2: JSONValue = .object(["serial_number": "02", "expire_time": "2027-01-01T00:00:00.5Z"])
        let tags: JSONValue = .array([
            .object(["key": "env", "value": "prod"]), .object(["key": "team", "value": "=cmd|' /C calc'!A0"]),
        ])
        var night1: [CustomerGateway] = [
            try standardGateway(
                id: "gw-a", name: "alpha", created: "2024-06-25T13:19:37.335+02:00",
                updated: "2024-06-25T13:19:37.335+02:00", extra: ["ca_certificate": cert1]),
            try standardGateway(id: "gw-b", name: "bravo", extra: ["tags": tags]),
            try gateway([
                "id": "gw-legacy", "name": "legacy", "route_mode": "static", "ip": "10.1.1.1",
                "bgp_asn": .integer(65000), "created_at": "2024-05-21T09:03:41.000000",
                "updated_at": "2024-05-21T09:03:41.000000",
            ]),
        ]
        for (index, name) in hostileNames.enumerated() {
            night1.append(try standardGateway(id: "gw-h\(index)", name: name))
        }
        try await f.run(night: 1, night1.map { .present($0) }, ids: night1.map(\.id))
        try await f.run(night: 2, night1.map { .present($0) }, ids: night1.map(\.id))
        var night3 = night1
        night3[0] = try standardGateway(
            id: "gw-a", name: "alpha-renamed", created: "2024-06-25T13:19:37.335Z",
            updated: "2025-03-02T23:00:00.123456789Z", extra: ["ca_certificate": cert2])
        var results: [Observation.Result] = night3.map { .present($0) }
        results[1] = .failed("HTTP 503 VPN.0002 after 4 attempts")
        try await f.run(night: 3, results, ids: night3.map(\.id))
        results[1] = .gone
        try await f.run(night: 4, results, ids: night3.map(\.id))
        return f
    }

    static let generatedAt = Instant(seconds: 1_741_219_200)  // 2025-03-06T00:00:00Z

    static func render(
        _ store: any HistoryReading, _ view: ReportView, _ format: ReportFormat, zone: Zone = .utc,
        filter: ReportFilter = ReportFilter()
    ) throws -> String {
        var text = ""
        try ReportRenderer(
            store: store,
            options: ReportOptions(view: view, format: format, zone: zone, filter: filter, generatedAt: generatedAt)
        ).render(to: &text)
        return text
    }

    /// Compares with a golden file; `GA_UPDATE_GOLDEN=1` rewrites the files in the source tree.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/golden/\(name)")
        if ProcessInfo.processInfo.environment["GA_UPDATE_GOLDEN"] != nil {
            try Data(text.utf8).write(to: source)
        }
        let expected = String(decoding: try fixture("golden/\(name)"), as: UTF8.self)
        #expect(
            text == expected, "golden file \(name) differs; rerun with GA_UPDATE_GOLDEN=1 and review the diff",
            sourceLocation: sourceLocation)
    }
}
