import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditOperations
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("report digest: what the latest runs found, per gateway")
struct DigestPageTests {
    func digest(from first: Int64, through last: Int64) async throws -> DigestPage {
        let f = try await ReportFixture.build()
        let digest = try RunDigest.load(runs: first, through: last, from: f.store)
        var names: [GatewayID: String] = [:]
        for gateway in try f.store.gateways() { names[gateway.gatewayID] = gateway.name }
        return DigestPage(
            firstRun: digest.firstRunID, lastRun: digest.runID, changes: digest.changes, failures: digest.failures,
            anomalies: digest.anomalies, names: names, zone: .utc)
    }

    @Test("the text names each gateway, each field old → new with its window, gone, anomalies and failures")
    func text() async throws {
        let page = try await digest(from: 3, through: 4)
        #expect(
            page.text == """
                gateway-audit digest, runs 3–4, times in UTC: 2 resource(s) · 3 field change(s) · 1 gone · 1 anomaly(ies) · 1 failed observation(s)

                alpha-renamed (gw-a)
                  ca_certificate.expire_time modified: "2026-01-01T00:00:00Z" → "2027-01-01T00:00:00.5Z", between 2025-03-02T02:01:00Z and 2025-03-03T02:01:00Z
                  ca_certificate.serial_number modified: "01" → "02", between 2025-03-02T02:01:00Z and 2025-03-03T02:01:00Z
                  name modified: "alpha" → "alpha-renamed", between 2025-03-02T02:01:00Z and 2025-03-03T02:01:00Z
                  anomaly offset-relabelled on created_at: 2024-06-25T13:19:37.335+02:00 → 2024-06-25T13:19:37.335Z

                bravo (gw-b)
                  gone, between 2025-03-02T02:01:00Z and 2025-03-04T02:01:00Z
                  failed at 2025-03-03T02:01:00Z (run 3): HTTP 503 VPN.0002 after 4 attempts

                """)
    }

    @Test("a run that found nothing gives an empty digest: no text, no HTML, no JSON")
    func empty() async throws {
        let page = try await digest(from: 2, through: 2)
        #expect(page.isEmpty)
        let html = try page.html()
        #expect(page.text.isEmpty && page.json.isEmpty && html.isEmpty)
    }

    @Test("JSON lines: one object per change, anomaly and failure, with the documented keys")
    func json() async throws {
        let page = try await digest(from: 4, through: 4)
        #expect(
            page.json
                == #"{"event":"gone","gateway_id":"gw-b","name":"bravo","field":"","old_value":"","new_value":"","last_seen_before":"2025-03-02T02:01:00Z","first_seen_after":"2025-03-04T02:01:00Z","run":"4","detail":""}"#
                + "\n")
    }

    @Test("HTML for e-mail: inline styles only, no script, no style element, the changed part marked")
    func html() async throws {
        let html = try await digest(from: 3, through: 4).html()
        #expect(!html.contains("<script") && !html.contains("<style") && !html.contains("class="))
        #expect(html.contains("<ins style=\"background:#d4f5d4;text-decoration:none\">-renamed</ins>"))
        #expect(html.contains("default-src 'none'"))
    }
}
