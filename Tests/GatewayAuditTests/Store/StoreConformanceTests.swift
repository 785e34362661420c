import TestSupport
import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditCore
@testable import GatewayAuditStore

/// One suite of store behaviour, run against every backend (SQLite always; PostgreSQL when
/// GATEWAY_AUDIT_TEST_PG names a server): whatever the store, a user sees the same history.
@Suite("Store conformance: SQLite and PostgreSQL behave the same", .serialized)
struct StoreConformanceTests {
    @Test(
        "PostgreSQL server configured for the conformance suite",
        .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipped))
    func serverConfigured() async throws {
        let f = try await StoreFixture.make(backend: .postgres)
        #expect(f.database.isPostgres)
        #expect(!f.path.isEmpty && !f.database.path.contains(":" + "@"))
    }

    @Test(
        "a run of some kinds (--kind) is its own selection (last success, resources) and its kinds are sealed",
        arguments: StoreBackend.available)
    func kindRuns(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        try await f.run(night: 1, try standardGateway())
        let info = { (kinds: [ResourceKind]?) in
            RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all, kinds: kinds)
        }
        let vpnGateways = try await f.writer.beginRun(
            info([.vpnGateway]), at: StoreFixture.night(2), lockWait: .seconds(5))
        try await f.writer.finishRun(vpnGateways, status: .complete, at: StoreFixture.night(2).adding(seconds: 1))
        // Every kind named is every kind: recorded as such.
        let failed = try await f.writer.beginRun(
            info(ResourceKind.allCases), at: StoreFixture.night(3), lockWait: .seconds(5))
        try await f.writer.finishRun(failed, status: .failed, at: StoreFixture.night(3).adding(seconds: 1))
        // The failed nightly run's last success is night 1's, not the later run of VPN gateways.
        #expect(try f.store.latestFinish(of: .complete, like: failed.id) == StoreFixture.night(1).adding(seconds: 61))
        #expect(
            try f.store.latestFinish(of: .complete, like: vpnGateways.id) == StoreFixture.night(2).adding(seconds: 1))
        let kindCounts = try f.store.resourceCounts(inScopeOf: vpnGateways.id)
        let allCounts = try f.store.resourceCounts(inScopeOf: failed.id)
        #expect(kindCounts.present == 0 && kindCounts.gone == 0)
        #expect(allCounts.present == 1 && allCounts.gone == 0)
        #expect(try f.verify().problems.isEmpty)
        // The kinds are in the run's record hash (version 4): a run of VPN gateways made a nightly run is found.
        try f.edit("UPDATE run SET kinds = NULL WHERE id = \(vpnGateways.id)")
        let problems = try f.verifyFile().problems
        #expect(problems.map(\.item) == [vpnGateways.id])
        #expect(problems.first?.area == .run)
    }

    @Test("unchanged nights extend one snapshot; the runs and counts are recorded", arguments: StoreBackend.available)
    func unchangedNights(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let g = try standardGateway()
        #expect(try await f.run(night: 1, g) == [.new])
        for night in 2...5 { #expect(try await f.run(night: night, g) == [.unchanged]) }
        let rows = try f.history()
        #expect(rows.count == 1)
        #expect(rows.first?.firstRun == 1 && rows.first?.lastRun == 5)
        #expect(rows.first?.lastSeen == StoreFixture.night(5).adding(seconds: 60))
        #expect(try f.store.runs().map(\.id) == [5, 4, 3, 2, 1])
        #expect(try f.store.runs().first?.counts.unchanged == 1)
        #expect(try f.store.statistics().snapshots == 1)
        #expect(try f.verify().problems.isEmpty)
    }

    @Test(
        "a rename, a tombstone and a reappearance give the same windows and events", arguments: StoreBackend.available)
    func windowsTombstonesReappearance(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        for night in 1...3 { try await f.run(night: night, try standardGateway()) }
        let renamed = try standardGateway(name: "renamed", updated: "2025-03-04T01:00:00Z")
        #expect(try await f.run(night: 4, renamed) == [.changed])
        #expect(try await f.run(night: 5, [.gone], ids: ["gw-1"]) == [.gone])
        #expect(try await f.run(night: 6, [.gone], ids: ["gw-1"]) == [.stillGone])
        // Gone: last seen when an observation last saw it, on night 4, not the night it was found missing.
        let goneSummary = try #require(try f.store.gateway("gw-1"))
        #expect(goneSummary.state == .gone && goneSummary.lastSeen == StoreFixture.night(4).adding(seconds: 60))
        #expect(try await f.run(night: 7, renamed) == [.reappeared])
        #expect(try await f.run(night: 8, [.failed("HTTP 503")], ids: ["gw-1"]) == [.failed])
        let changes = try f.changes()
        #expect(changes.map(\.change) == [.firstSeen, .modified, .gone, .reappeared])
        let rename = try #require(changes.first { $0.change == .modified })
        #expect(rename.lastRunBefore == 3 && rename.firstRunAfter == 4 && rename.field == "name")
        #expect(try f.history().map(\.state) == [.present, .present, .gone, .present])
        #expect(try f.store.failedObservations().map(\.run) == [8])
        let summary = try #require(try f.store.gateway("gw-1"))
        #expect(summary.state == .present && summary.snapshotCount == 4 && summary.failedCount == 1)
        #expect(try f.verify().problems.isEmpty)
        // Back under another name after nights gone: the name change's window starts at the last night that saw
        // the old name (run 7; run 8 failed), where its fields are compared from; the reappearance's at the tombstone.
        #expect(try await f.run(night: 9, [.gone], ids: ["gw-1"]) == [.gone])
        #expect(
            try await f.run(night: 10, try standardGateway(name: "back", updated: "2025-03-10T01:00:00Z")) == [
                .reappeared
            ])
        let back = try f.changes().filter { $0.firstRunAfter == 10 }
        #expect(back.map(\.change) == [.reappeared, .modified])
        #expect(back.map(\.lastRunBefore) == [9, 7], "\(back.map(\.lastRunBefore))")
        #expect(back.last?.oldValue == "renamed" && back.last?.newValue == "back")
    }

    @Test(
        "two ids equal as Swift strings but not in their bytes are two resources, new on two nights or in one batch",
        arguments: StoreBackend.available, [false, true])
    func idsByBytes(backend: StoreBackend, oneBatch: Bool) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let composed = try standardGateway(id: "cgw-caf\u{E9}")
        let decomposed = try standardGateway(id: "cgw-cafe\u{301}")
        if oneBatch {
            #expect(try await f.run(night: 1, composed, decomposed) == [.new, .new])
        } else {
            #expect(try await f.run(night: 1, composed) == [.new])
            #expect(try await f.run(night: 2, composed, decomposed) == [.unchanged, .new])
        }
        #expect(try await f.run(night: 3, decomposed, composed) == [.unchanged, .unchanged])
        let rows = try f.history()
        #expect(rows.count == 2)
        #expect(Set(rows.map(\.gatewayID)) == [GatewayID("cgw-caf\u{E9}"), GatewayID("cgw-cafe\u{301}")])
        #expect(try f.verify().problems.isEmpty)
    }

    @Test("status windows, links and anomalies of the three kinds", arguments: StoreBackend.available)
    func kindsStatusAndAnomalies(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let odd = try standardGateway(updated: "2025-01-01T10:00:00.000Z")
        try await f.run(night: 1, [.present(odd)], ids: ["gw-1"])
        try await f.runResources(night: 2, [try KindFixture.vpnGateway(), try KindFixture.connection()])
        try await f.runResources(night: 3, [try KindFixture.vpnGateway(), try KindFixture.connection(status: "DOWN")])
        try await f.runResources(night: 4, [try KindFixture.vpnGateway(), try KindFixture.connection(status: "DOWN")])
        var windows: [StatusRow] = []
        try f.store.forEachStatusRow(ReportFilter()) { windows.append($0) }
        #expect(windows.map(\.status) == ["ACTIVE", "ACTIVE", "DOWN"])
        #expect(windows.last?.firstRun == 3 && windows.last?.lastRun == 4)
        #expect(try f.store.linkedSnapshots(to: "gw-1", kind: .customerGateway).map(\.gatewayID) == ["vpnc-1"])
        #expect(try f.store.gateway("gw-1")?.connections == 1)
        let anomalies = try f.store.anomalies()
        #expect(anomalies.filter { $0.gatewayID == "gw-1" }.map(\.kind) == [.updatedBeforeCreated])
        #expect(anomalies.filter { $0.gatewayID == "vpnc-1" }.map(\.kind) == [.noOffset, .noOffset])
        #expect(try f.verify().problems.isEmpty)
    }

    @Test("an edited snapshot breaks verify at the same first link", arguments: StoreBackend.available)
    func editedSnapshot(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        for night in 1...3 { try await f.run(night: night, try standardGateway(name: "n\(night)")) }
        #expect(try f.verifyFile().problems.isEmpty)
        // SQLite keeps contents compressed (StoredContent): the edit is made on the JSON text it also reads.
        if !f.database.isPostgres { try HistoryDatabase.expandContents(path: f.path) }
        try f.edit("UPDATE snapshot SET content = replace(content, 'n2', 'nX') WHERE seq = 2")
        let problems = try f.verifyFile().problems
        #expect(problems.first?.gatewayID == "gw-1" && problems.first?.item == 2)
        #expect(problems.first?.detail == "content does not match its stored SHA-256 (content was edited)")
    }

    @Test("an edited run record breaks verify at that run", arguments: StoreBackend.available)
    func editedRun(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        for night in 1...3 { try await f.run(night: night, try standardGateway()) }
        try f.edit("UPDATE run SET observed = 7 WHERE id = 2")
        let problems = try f.verifyFile().problems
        #expect(problems.map(\.item) == [2])
        #expect(problems.first?.area == .run)
    }

    @Test(
        "a second run of one scope waits, then is refused; another scope runs meanwhile",
        arguments: StoreBackend.available)
    func scopeLocks(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let first = try await f.writer.beginRun(RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all))
        await #expect(throws: StoreError.self) {
            _ = try await f.writer.beginRun(
                RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all), lockWait: .milliseconds(300))
        }
        let other = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .all), lockWait: .seconds(5))
        try await f.writer.finishRun(other, status: .complete)
        try await f.writer.finishRun(first, status: .complete)
        let again = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all), lockWait: .seconds(5))
        try await f.writer.finishRun(again, status: .complete)
        #expect(try f.store.runs().map(\.status) == [.complete, .complete, .complete])
    }

    @Test(
        "a run its process left running is closed aborted by the next run of its scope",
        arguments: StoreBackend.available)
    func abortedRun(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        let info = RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all)
        let killed = try await f.writer.beginRun(info)
        _ = try await f.recorder.record(
            [.present(try standardGateway(), at: StoreFixture.night(1))], in: killed)
        #expect(try f.store.runs().first?.status == .running)
        // What the kernel or the server does when the process dies: the lock goes, the row stays.
        killed.lock?.release()
        killed.postgresLock?.release()
        let next = try await f.writer.beginRun(info, lockWait: .seconds(5))
        #expect(next.abortedRuns == [killed.id])
        try await f.writer.finishRun(next, status: .complete)
        let runs = try f.store.runs()
        #expect(runs.map(\.status) == [.complete, .aborted])
        #expect(runs.last?.message == "the process ended before the run finished; closed by run \(next.id)")
        #expect(try f.history().count == 1)
        #expect(try f.verify().problems.isEmpty)
    }
}
