import Foundation
import GatewayAudit
import GatewayAuditMetrics
import GatewayAuditOperations
import Testing

/// The notification's shape without a server: caps, nulls, the Slack text.
@Suite("notification document and Slack message")
struct RunNotificationTests {
    static func outcome() -> RunOutcome {
        RunOutcome(
            scope: MonitoringScope(region: "eu-de", projectID: "p1"), endpoint: "https://vpn.eu-de.example",
            selection: .all,
            summary: nil, startedAt: Instant(seconds: 1_764_400_000), finishedAt: Instant(seconds: 1_764_400_003),
            exitCode: 4, message: "history.sqlite is not an SQLite database; point --db at a gateway-audit database")
    }

    static let digest = RunDigest(
        firstRunID: 3, runID: 5,
        entries: (1...150).map {
            DigestEntry(
                event: .change(.modified), gatewayID: "gw-\($0)", field: "name", oldValue: "a<b", newValue: "c&d")
        })

    @Test("at most 100 entries with the rest counted; every key present, absent values null")
    func capped() throws {
        let data = try RunNotification(outcome: Self.outcome(), digest: Self.digest).json()
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((document["entries"] as? [Any])?.count == 100)
        #expect(document["entries_omitted"] as? Int == 50)
        #expect(document["digest_first_run"] as? Int == 3)
        #expect(document["run_id"] is NSNull && document["chain_head"] is NSNull)
        #expect(document["status"] as? String == "failed" && document["exit_code"] as? Int == 4)
        #expect(document["started_at"] as? String == "2025-11-29T07:06:40Z")
        let entry = try #require((document["entries"] as? [[String: Any]])?.first)
        #expect(
            Set(entry.keys) == [
                "event", "gateway_id", "field", "old_value", "new_value", "observed_at", "detail", "resource_kind",
            ])
        #expect(entry["resource_kind"] is NSNull, "an entry made without a kind says null, never a guess")
        #expect(entry["observed_at"] is NSNull)
        let scope = try #require(document["scope"] as? [String: String])
        #expect(
            scope == [
                "account": "", "region": "eu-de", "project_id": "p1", "kind": "all",
                "endpoint": "https://vpn.eu-de.example", "selection": "all",
            ])
    }

    @Test("Slack text: headline, escaped lines, the rest counted")
    func slack() {
        let text = SlackMessage(outcome: Self.outcome(), digest: Self.digest).text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "*gateway-audit* failed (exit 4) on project p1 (eu-de): 0 changed, 0 new, 0 gone, 0 failed")
        #expect(lines[1].hasPrefix("> history.sqlite is not an SQLite database"))
        #expect(lines[2] == "• `gw-1` `name`: a&lt;b → c&amp;d")
        #expect(lines.count == 2 + 20 + 1)
        #expect(lines.last == "… and 130 more: `gateway-audit report changes` has them all")
    }
}
