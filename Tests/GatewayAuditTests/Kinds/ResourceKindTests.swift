import Foundation
import Testing
import TestSupport

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("Resource kinds: VPN gateways and connections share the history machinery")
struct ResourceKindTests {
    @Test("a night where only status, BGP counters and state_duration moved adds no snapshot and no change")
    func operationalNight() async throws {
        let f = try StoreFixture()
        try await f.run(
            night: 1,
            resources: [try KindFixture.vpnGateway(), try KindFixture.connection(), try standardGateway().resource])
        #expect(try f.count("SELECT COUNT(*) FROM snapshot") == 3)
        let outcomes = try await f.run(
            night: 2,
            resources: [
                try KindFixture.vpnGateway(status: "ACTIVE", used: 2),
                try KindFixture.connection(
                    status: "DOWN", bgpState: "Idle", duration: "5m", routes: 0, messages: 240),
                try standardGateway().resource,
            ])
        #expect(outcomes == [.unchanged, .unchanged, .unchanged])
        #expect(try f.count("SELECT COUNT(*) FROM snapshot") == 3)
        #expect(try f.count("SELECT COUNT(*) FROM change WHERE change IN ('added','modified','removed')") == 0)
        // The latest operational values are kept, secret-free, with the resource.
        let operational = try sqlite3(f.path, "SELECT operational FROM gateway WHERE gateway_id = 'vpnc-1'")
        #expect(
            operational.trimmingCharacters(in: .newlines)
                == #"{"bgp_peer":{"num_message_received":240,"num_message_sent":241,"num_received_routes":0,"state":"Idle","state_duration":"5m"},"status":"DOWN"}"#
        )
        #expect(try f.verify().isIntact)
    }

    @Test("status keeps its own windows: ACTIVE, DOWN, ACTIVE again is three rows with exact times")
    func statusWindows() async throws {
        let f = try StoreFixture()
        for (night, status) in [(1, "ACTIVE"), (2, "ACTIVE"), (3, "DOWN"), (4, "ACTIVE")] {
            try await f.run(night: night, resources: [try KindFixture.connection(status: status)])
        }
        let csv = try ReportFixture.render(f.store, .status, .csv)
        #expect(
            csv == """
                gateway_id,resource_kind,status,first_seen,last_seen,account,region,project_id\r
                vpnc-1,vpn-connection,ACTIVE,2025-03-01T02:01:00Z,2025-03-02T02:01:00Z,,,p\r
                vpnc-1,vpn-connection,DOWN,2025-03-03T02:01:00Z,2025-03-03T02:01:00Z,,,p\r
                vpnc-1,vpn-connection,ACTIVE,2025-03-04T02:01:00Z,2025-03-04T02:01:00Z,,,p\r

                """)
        #expect(try f.count("SELECT COUNT(*) FROM snapshot") == 1)
    }

    @Test("a status window ends at the last night the resource was seen when it goes; back, a new one opens")
    func statusWindowsAcrossGone() async throws {
        let f = try StoreFixture()
        let active = try KindFixture.connection(status: "ACTIVE")
        try await f.run(night: 1, resources: [active])
        try await f.run(night: 2, resources: [active])
        try await f.run(night: 3, [.gone], ids: [active.id])
        try await f.run(night: 4, [.gone], ids: [active.id])
        try await f.run(night: 5, resources: [active])
        try await f.run(night: 6, resources: [try KindFixture.connection(status: "DOWN")])
        try await f.run(night: 7, resources: [try KindFixture.connection(status: "DOWN")])
        let csv = try ReportFixture.render(f.store, .status, .csv)
        #expect(
            csv == """
                gateway_id,resource_kind,status,first_seen,last_seen,account,region,project_id\r
                vpnc-1,vpn-connection,ACTIVE,2025-03-01T02:01:00Z,2025-03-02T02:01:00Z,,,p\r
                vpnc-1,vpn-connection,ACTIVE,2025-03-05T02:01:00Z,2025-03-05T02:01:00Z,,,p\r
                vpnc-1,vpn-connection,DOWN,2025-03-06T02:01:00Z,2025-03-07T02:01:00Z,,,p\r

                """)
        // Only the open window leaves its end to the resource row: one statement per unchanged night.
        #expect(try f.count("SELECT COUNT(*) FROM status_window WHERE last_seen IS NULL") == 1)
        #expect(try f.count("SELECT COUNT(*) FROM status_window WHERE last_seen IS NOT NULL") == 2)
    }

    @Test("a configuration change on a connection is a field change with the resource_kind column")
    func configurationChange() async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, resources: [try KindFixture.connection()])
        try await f.run(
            night: 2,
            resources: [
                try KindFixture.connection(
                    encryption: "aes-256", peerSubnets: ["10.0.0.0/24", "10.0.1.0/24"], updated: "2025-03-01 20:00:00")
            ])
        let rows = try ReportFixture.render(f.store, .changes, .csv).split(separator: "\r\n").map(String.init)
        #expect(
            rows == [
                "gateway_id,change,field,old_value,new_value,last_seen_before,first_seen_after,api_updated_at,resource_kind,account,region,project_id",
                "vpnc-1,first-seen,,,,,2025-03-01T02:01:00Z,2025-02-01T10:00:00Z,vpn-connection,,,p",
                "vpnc-1,modified,ikepolicy.encryption_algorithm,aes-128,aes-256,2025-03-01T02:01:00Z,2025-03-02T02:01:00Z,2025-03-01T20:00:00Z,vpn-connection,,,p",
                "vpnc-1,added,peer_subnets[1],,10.0.1.0/24,2025-03-01T02:01:00Z,2025-03-02T02:01:00Z,2025-03-01T20:00:00Z,vpn-connection,,,p",
            ])
    }

    @Test("history --kind vpn-connection and --kind vpn-gateway have their own columns")
    func kindHistory() async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, resources: [try KindFixture.vpnGateway(), try KindFixture.connection()])
        var filter = ReportFilter()
        filter.kinds = [.vpnConnection]
        let connection = try ReportFixture.render(f.store, .history, .csv, filter: filter)
            .split(separator: "\r\n").map(String.init)
        #expect(connection.first == ReportView.history.columns(for: .vpnConnection).joined(separator: ","))
        #expect(
            connection.dropFirst().first?.hasPrefix(
                "vpnc-1,present,2025-03-01T02:01:00Z,2025-03-01T02:01:00Z,tunnel-a,vgw-1,80.158.0.1,gw-1,bgp,10.0.0.0/24,"
            )
                == true)
        #expect(
            connection.dropFirst().first?.contains("dh_group=group14;dpd.interval=30;dpd.msg=seq-hash-notify") == true)
        filter.kinds = [.vpnGateway]
        let vgw = try ReportFixture.render(f.store, .history, .csv, filter: filter).split(separator: "\r\n")
        #expect(vgw.count == 2)
        #expect(vgw[1].contains(",80.158.0.1 (eip-1),,cert-1,"))
        // The customer-gateway history (the default) holds none of them.
        #expect(try ReportFixture.render(f.store, .history, .csv).split(separator: "\r\n").count == 1)
    }

    @Test("a pre-shared key is never stored; its SHA-256 fingerprint is, so a change shows")
    func secretFingerprint() async throws {
        let f = try StoreFixture()
        try await f.run(
            night: 1,
            resources: [
                try KindFixture.connection(extra: [
                    "psk": "Sup3r-Secret-PSK", "nested": .object(["admin_password": "hunter2"]),
                ])
            ])
        try await f.run(
            night: 2,
            resources: [
                try KindFixture.connection(extra: [
                    "psk": "0ther-Secret-PSK", "nested": .object(["admin_password": "hunter2"]),
                ])
            ])
        let bytes =
            try Data(contentsOf: URL(fileURLWithPath: f.path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: f.path + "-wal"))) ?? Data())
        for secret in ["Sup3r-Secret-PSK", "0ther-Secret-PSK", "hunter2"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is in the database file")
        }
        let changes = try f.changes().filter { $0.change == .modified }
        #expect(changes.map(\.field) == ["psk"])
        #expect(changes.first?.oldValue == "sha256:" + SHA256Fingerprint.hex("Sup3r-Secret-PSK"))
        #expect(changes.first?.newValue == "sha256:" + SHA256Fingerprint.hex("0ther-Secret-PSK"))
    }

    @Test("the chain covers the kind: relabelling a connection as a customer gateway breaks verify")
    func kindInChain() async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, resources: [try KindFixture.connection()])
        #expect(try f.verifyFile().isIntact)
        try f.database.checkpoint()
        // Compressed, the content would no longer inflate with the other kind's dictionary (StoredContent) and
        // verify would name the content first: as JSON text, only the chain tells.
        try HistoryDatabase.expandContents(path: f.path)
        _ = try sqlite3(f.path, "UPDATE gateway SET kind = 'customer-gateway' WHERE gateway_id = 'vpnc-1'")
        let problems = try f.verifyFile().problems.map(\.description)
        #expect(
            problems == [
                "gateway vpnc-1 snapshot 1: chain link differs: its content, state, kind, first run, first-seen time or predecessor was changed"
            ])
    }

    @Test("a connection deleted and re-created between the same gateways names its predecessor")
    func recreatedConnection() async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, resources: [try KindFixture.connection()])
        try await f.run(night: 2, [.gone], ids: ["vpnc-1"])
        try await f.run(night: 3, resources: [try KindFixture.connection(id: "vpnc-2")])
        let firstSeen = try f.changes().filter { $0.gatewayID == "vpnc-2" && $0.change == .firstSeen }
        #expect(firstSeen.map(\.oldValue) == ["vpnc-1"])
    }

    @Test("gateways counts the connections using each customer gateway now; resources lists every kind")
    func linksAndSummaries() async throws {
        let f = try StoreFixture()
        try await f.run(
            night: 1,
            resources: [
                try standardGateway(id: "gw-1").resource, try standardGateway(id: "gw-2").resource,
                try KindFixture.vpnGateway(), try KindFixture.connection(id: "vpnc-1"),
                try KindFixture.connection(id: "vpnc-2", name: "tunnel-b"),
            ])
        let summaries = Dictionary(uniqueKeysWithValues: try f.store.gateways().map { ($0.gatewayID, $0) })
        #expect(summaries["gw-1"]?.connections == 2 && summaries["gw-2"]?.connections == 0)
        #expect(summaries["vpnc-1"]?.kind == .vpnConnection && summaries["vpnc-1"]?.status == "ACTIVE")
        #expect(summaries["vgw-1"]?.kind == .vpnGateway)
        try await f.run(night: 2, [.gone], ids: ["vpnc-2"])
        #expect(try f.store.gateway("gw-1")?.connections == 1)
    }

    @Test("when-changed on a customer gateway names the tunnels that used it and their changes in the window")
    func whenChangedNamesTunnels() async throws {
        let f = try StoreFixture()
        try await f.run(
            night: 1, resources: [try standardGateway(id: "gw-1").resource, try KindFixture.connection()])
        try await f.run(
            night: 2,
            resources: [
                try standardGateway(id: "gw-1", name: "branch-renamed", updated: "2025-03-01T12:00:00.000Z").resource,
                try KindFixture.connection(encryption: "aes-256", updated: "2025-03-01 12:00:00"),
            ])
        let report = try WhenChangedReport(store: f.store, gatewayID: "gw-1")
        let modified = try #require(report.entries.first { $0.change == .modified })
        #expect(
            modified.connections == [
                WhenChangedReport.ConnectionUse(
                    connectionID: "vpnc-1", name: "tunnel-a",
                    changes: ["ikepolicy.encryption_algorithm aes-128 → aes-256"])
            ])
        #expect(report.text.contains("    vpnc-1 (tunnel-a): ikepolicy.encryption_algorithm aes-128 → aes-256"))
        let json = report.json()
        #expect(json.contains(#""connections":"vpnc-1 (tunnel-a): ikepolicy.encryption_algorithm aes-128 → aes-256""#))
        #expect(json.contains(#""resource_kind":"customer-gateway""#))
    }

    @Test("timestamps of every kind are parsed and checked: a connection's free-text updated_at is flagged")
    func kindTimestamps() async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, resources: [try KindFixture.vpnGateway(), try KindFixture.connection()])
        var rows: [TimestampRow] = []
        try f.store.forEachTimestampRow { rows.append($0) }
        #expect(rows.filter { $0.kind == .vpnGateway }.map(\.field) == ["created_at", "applied_at", "updated_at"])
        let connection = rows.filter { $0.kind == .vpnConnection }
        #expect(connection.map(\.field) == ["created_at", "updated_at"])
        #expect(connection.allSatisfy { $0.anomalies.map(\.kind) == [.noOffset] })
    }
}

/// The fingerprint rule of reports/README.md, computed independently of the code under test.
enum SHA256Fingerprint {
    static func hex(_ text: String) -> String {
        let data = (try? Spawn.run("/usr/bin/sha256sum", [], input: Data(text.utf8)))?.stdout ?? Data()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
