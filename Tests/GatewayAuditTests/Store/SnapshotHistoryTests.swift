import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("Snapshot history: one snapshot per state, exact change windows")
struct SnapshotHistoryTests {
    @Test("30 nights of an unchanged gateway store one snapshot spanning night 1 to night 30")
    func unchangedNights() async throws {
        let f = try StoreFixture()
        let g = try standardGateway()
        #expect(try await f.run(night: 1, g) == [.new])
        for night in 2...30 { #expect(try await f.run(night: night, g) == [.unchanged]) }
        let rows = try f.history()
        #expect(rows.count == 1)
        #expect(rows[0].firstRun == 1 && rows[0].lastRun == 30)
        #expect(rows[0].lastSeen == StoreFixture.night(30).adding(seconds: 60))
        #expect(try f.changes().map(\.change) == [.firstSeen])
        #expect(try f.store.runs().map(\.status) == Array(repeating: .complete, count: 30))
        #expect(try f.store.runs().first?.counts.unchanged == 1)
        try f.expectIntegrity()
    }

    @Test("a rename on night 12 is one name change with window [night 11, night 12]")
    func renameWindow() async throws {
        let f = try StoreFixture()
        for night in 1...11 { try await f.run(night: night, try standardGateway()) }
        let renamed = try standardGateway(name: "branch-1-renamed", updated: "2025-03-12T01:30:00Z")
        #expect(try await f.run(night: 12, renamed) == [.changed])
        for night in 13...15 { try await f.run(night: night, renamed) }
        let changes = try f.changes().filter { $0.change != .firstSeen }
        #expect(changes.count == 1)
        let c = try #require(changes.first)
        #expect(c.field == "name" && c.change == .modified)
        #expect(c.oldValue == "branch-1" && c.newValue == "branch-1-renamed")
        #expect(c.lastRunBefore == 11 && c.firstRunAfter == 12)
        #expect(c.lastSeenBefore == StoreFixture.night(11).adding(seconds: 60))
        #expect(c.firstSeenAfter == StoreFixture.night(12).adding(seconds: 60))
        #expect(c.apiUpdatedAt == "2025-03-12T01:30:00Z")
        #expect(ChangeWindow.contains(c.apiUpdatedAtTimestamp, after: c.lastSeenBefore, upTo: c.firstSeenAfter) == true)
        try f.expectIntegrity()
    }

    @Test("a failed fetch on night 13 is a visible gap and widens the next change's window to [12, 14]")
    func failedNightWidensWindow() async throws {
        let f = try StoreFixture()
        for night in 1...12 { try await f.run(night: night, try standardGateway()) }
        #expect(try await f.run(night: 13, [.failed("HTTP 503 VPN.0002 after 5 attempts")], ids: ["gw-1"]) == [.failed])
        try await f.run(night: 14, try standardGateway(name: "renamed", updated: "2025-03-13T12:00:00Z"))
        let change = try #require(try f.changes().last)
        #expect(change.field == "name")
        #expect(change.lastRunBefore == 12 && change.firstRunAfter == 14)
        let failures = try f.store.failedObservations()
        #expect(failures.map(\.run) == [13])
        #expect(failures.first?.error == "HTTP 503 VPN.0002 after 5 attempts")
        #expect(try f.store.runs(limit: 2).last?.status == .partial)
        #expect(try f.history().map(\.state) == [.present, .present])
        try f.expectIntegrity()
    }

    @Test("delete → tombstone; recreate under a new id links to the old one; the old id reappearing is recorded")
    func goneRecreatedReappeared() async throws {
        let f = try StoreFixture()
        let old = try standardGateway(id: "gw-old")
        try await f.run(night: 1, old)
        #expect(try await f.run(night: 2, [.gone], ids: ["gw-old"]) == [.gone])
        #expect(try await f.run(night: 3, [.gone], ids: ["gw-old"]) == [.stillGone])
        let recreated = try standardGateway(
            id: "gw-new", created: "2025-03-03T09:00:00Z", updated: "2025-03-03T09:00:00Z")
        #expect(try await f.run(night: 4, recreated) == [.new])
        let back = try standardGateway(id: "gw-old", name: "branch-1-back", updated: "2025-03-04T10:00:00Z")
        #expect(try await f.run(night: 5, back) == [.reappeared])

        let events = try f.changes().map {
            "\($0.gatewayID) \($0.change.rawValue) \($0.field) \($0.oldValue ?? "-") \($0.newValue ?? "-") [\($0.lastRunBefore.map(String.init) ?? "-"),\($0.firstRunAfter)]"
        }
        #expect(
            events == [
                "gw-old first-seen  - - [-,1]",
                "gw-old gone  - - [1,2]",
                "gw-new first-seen  gw-old - [-,4]",
                "gw-old reappeared  - - [3,5]",
                // The old name was last seen by run 1: the window of its change starts there, not at the tombstone.
                "gw-old modified name branch-1 branch-1-back [1,5]",
            ])
        let history = try f.history()
        #expect(
            history.map { "\($0.gatewayID) \($0.seq) \($0.state.rawValue) \($0.firstRun)-\($0.lastRun)" } == [
                "gw-new 1 present 4-4", "gw-old 1 present 1-1", "gw-old 2 gone 2-3", "gw-old 3 present 5-5",
            ])
        let summaries = try f.store.gateways()
        #expect(summaries.map(\.state) == [.present, .present])
        #expect(summaries.map(\.snapshotCount) == [1, 3])
        try f.expectIntegrity()
    }

    @Test("the seed pair +02:00 → Z is an offset relabelling, not a created_at change")
    func seedRelabelling() async throws {
        let f = try StoreFixture()
        let a = try standardGateway(created: "2024-06-25T13:19:37.335+02:00", updated: "2024-06-25T13:19:37.335+02:00")
        let b = try standardGateway(created: "2024-06-25T13:19:37.335Z", updated: "2024-06-25T13:19:37.335Z")
        try await f.run(night: 1, a)
        #expect(try await f.run(night: 2, b) == [.changed])
        #expect(try f.changes().map(\.change) == [.firstSeen])
        let anomalies = try f.store.anomalies()
        #expect(
            anomalies.map { "\($0.seq) \($0.field) \($0.kind.rawValue)" } == [
                "2 created_at offset-relabelled", "2 updated_at offset-relabelled",
            ])
        #expect(anomalies.first?.detail == "2024-06-25T13:19:37.335+02:00 → 2024-06-25T13:19:37.335Z")
        #expect(try f.history().count == 2)
        try f.expectIntegrity()
    }

    @Test("tag order and request_id changes are not changes; tag edits are per key")
    func tags() async throws {
        let f = try StoreFixture()
        let two: JSONValue = .array([
            .object(["key": "env", "value": "prod"]), .object(["key": "team", "value": "net"]),
        ])
        let reordered: JSONValue = .array([
            .object(["key": "team", "value": "net"]), .object(["key": "env", "value": "prod"]),
        ])
        let edited: JSONValue = .array([.object(["key": "env", "value": "dr"])])
        try await f.run(night: 1, try standardGateway(extra: ["tags": two, "request_id": "a"]))
        #expect(
            try await f.run(night: 2, try standardGateway(extra: ["tags": reordered, "request_id": "b"])) == [
                .unchanged
            ])
        try await f.run(night: 3, try standardGateway(updated: "2025-03-02T12:00:00Z", extra: ["tags": edited]))
        let rows = try f.changes().filter { $0.change != .firstSeen }.map {
            "\($0.change.rawValue) \($0.field) \($0.oldValue ?? "-") \($0.newValue ?? "-")"
        }
        #expect(rows == ["modified tags.env prod dr", "removed tags.team net -"])
    }

    @Test("certificate rotation and an unknown nested field are field-level changes")
    func nestedChanges() async throws {
        let f = try StoreFixture()
        let cert1: JSONValue = .object(["serial_number": "01", "expire_time": "2026-01-01T00:00:00Z"])
        let cert2: JSONValue = .object(["serial_number": "02", "expire_time": "2027-01-01T00:00:00Z"])
        try await f.run(
            night: 1, try standardGateway(extra: ["ca_certificate": cert1, "ha": .object(["mode": "active"])]))
        try await f.run(
            night: 2,
            try standardGateway(
                updated: "2025-03-01T12:00:00Z", extra: ["ca_certificate": cert2, "ha": .object(["mode": "standby"])]))
        let rows = try f.changes().filter { $0.change != .firstSeen }.map {
            "\($0.field): \($0.oldValue ?? "-") → \($0.newValue ?? "-")"
        }
        #expect(
            rows == [
                "ca_certificate.expire_time: 2026-01-01T00:00:00Z → 2027-01-01T00:00:00Z",
                "ca_certificate.serial_number: 01 → 02",
                "ha.mode: active → standby",
            ])
    }

    @Test("filters: by gateway id and by time range")
    func filters() async throws {
        let f = try StoreFixture()
        let a = try standardGateway(id: "a")
        let b = try standardGateway(id: "b")
        try await f.run(night: 1, a, b)
        try await f.run(night: 2, try standardGateway(id: "a", name: "a2", updated: "2025-03-02T00:00:00Z"), b)
        try await f.run(night: 3, try standardGateway(id: "a", name: "a3", updated: "2025-03-03T00:00:00Z"), b)
        #expect(try f.changes(ReportFilter(gatewayIDs: ["b"])).map(\.change) == [.firstSeen])
        let window = ReportFilter(since: StoreFixture.night(2), until: StoreFixture.night(2).adding(seconds: 3600))
        #expect(try f.changes(window).map(\.newValue) == ["a2"])
        var history: [HistoryRow] = []
        try f.store.forEachHistoryRow(ReportFilter(gatewayIDs: ["a"], since: StoreFixture.night(3))) {
            history.append($0)
        }
        #expect(history.map(\.seq) == [3])
    }
}

@Suite("Timestamp read model")
struct TimestampRowTests {
    @Test("one row per timestamp field of each present snapshot, raw kept, anomalies attached to their field")
    func rows() async throws {
        let f = try StoreFixture()
        let cert: JSONValue = .object(["serial_number": "01", "expire_time": "2027-06-25T13:19:37Z"])
        try await f.run(
            night: 1,
            try standardGateway(
                created: "2024-06-25T13:19:37.335+02:00", updated: "2024-06-25T13:19:37.335+02:00",
                extra: ["ca_certificate": cert]))
        try await f.run(
            night: 2,
            try standardGateway(
                created: "2024-06-25T13:19:37.335Z", updated: "2024-06-25T13:19:37.335+02:00",
                extra: ["ca_certificate": cert]))
        var rows: [TimestampRow] = []
        try f.store.forEachTimestampRow { rows.append($0) }
        #expect(
            rows.map { "\($0.seq) \($0.field) \($0.raw) \($0.anomalies.map(\.kind.rawValue).joined(separator: ";"))" }
                == [
                    "1 created_at 2024-06-25T13:19:37.335+02:00 ",
                    "1 updated_at 2024-06-25T13:19:37.335+02:00 ",
                    "1 ca_certificate.expire_time 2027-06-25T13:19:37Z ",
                    "2 created_at 2024-06-25T13:19:37.335Z offset-relabelled",
                    "2 updated_at 2024-06-25T13:19:37.335+02:00 updated-before-created",
                    "2 ca_certificate.expire_time 2027-06-25T13:19:37Z ",
                ])
    }
}
