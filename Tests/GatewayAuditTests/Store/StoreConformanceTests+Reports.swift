import TestSupport
import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// The same observations recorded into SQLite and PostgreSQL give byte-identical reports, heads and chains.
@Suite("Store conformance: identical reports from SQLite and PostgreSQL")
struct IdenticalReportsTests {
    /// Ten nights of three kinds: new, unchanged, renamed, gone, back, failed, a status that flaps.
    static func play(into f: StoreFixture) async throws {
        for night in 1...10 {
            var resources: [Resource] = [
                try KindFixture.vpnGateway(used: night > 5 ? 2 : 1),
                try KindFixture.connection(status: night % 4 == 0 ? "DOWN" : "ACTIVE", routes: Int64(night)),
            ]
            if night != 6 && night != 7 {
                let name = night < 4 ? "branch-1" : "branch-1-renamed"
                resources.append(
                    try standardGateway(name: name, updated: "2025-03-0\(min(night, 9))T01:00:00Z").resource)
            }
            resources.append(
                try standardGateway(id: "gw-2", name: "odd", updated: "2025-01-01T00:00:00+01:00").resource)
            try await f.runResources(night: night, resources)
            if night == 6 {
                try await f.run(night: 6, [.gone, .failed("HTTP 503 after 5 attempts")], ids: ["gw-1", "gw-3"])
            }
        }
    }

    @Test(
        "every view in every format and zone, byte for byte",
        .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipped))
    func identicalReports() async throws {
        let sqlite = try await StoreFixture.make(backend: .sqlite)
        let postgres = try await StoreFixture.make(backend: .postgres)
        try await Self.play(into: sqlite)
        try await Self.play(into: postgres)
        #expect(try sqlite.store.chainHead() == postgres.store.chainHead())
        let verified = (try sqlite.verify(), try postgres.verify())
        #expect(verified.0.problems.isEmpty && verified.1.problems.isEmpty)
        #expect(verified.0.chainHead == verified.1.chainHead && verified.0.runs == verified.1.runs)
        #expect(try sqlite.store.statistics() == postgres.store.statistics())
        #expect(try sqlite.store.gateways() == postgres.store.gateways())
        #expect(try sqlite.store.runs() == postgres.store.runs())
        // Rendering waits on the server: off the cooperative pool, which the rest of the suite shares.
        let (a, b) = ((sqlite.store, sqlite.directory), (postgres.store, postgres.directory))
        try await offPool { try Self.compareReports(a, b) }
    }

    /// Writes every report from both stores into their folders and compares them byte for byte.
    static func compareReports(
        _ sqlite: (store: HistoryQueries, directory: URL), _ postgres: (store: HistoryQueries, directory: URL)
    ) throws {
        let generated = Instant(seconds: 1_741_000_000)
        var compared = 0
        let zone = try Zone(identifier: "Europe/Berlin")
        for zone in [Zone.utc, zone] {
            for view in ReportView.allCases {
                for kinds in view == .history ? [[], [ResourceKind.vpnGateway], [.vpnConnection]] : [[]] {
                    for format in ReportFormat.allCases {
                        let options = ReportOptions(
                            view: view, format: format, zone: zone, filter: ReportFilter(kinds: kinds),
                            generatedAt: generated)
                        let a = sqlite.directory.appendingPathComponent(options.defaultFileName).path
                        let b = postgres.directory.appendingPathComponent(options.defaultFileName).path
                        try ReportExport.write(store: sqlite.store, options: options, to: a)
                        try ReportExport.write(store: postgres.store, options: options, to: b)
                        #expect(
                            try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)),
                            "\(options.defaultFileName)")
                        #expect(
                            try Data(contentsOf: URL(fileURLWithPath: ReportManifest.path(for: a)))
                                == Data(contentsOf: URL(fileURLWithPath: ReportManifest.path(for: b))))
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == 2 * (ReportView.allCases.count + 2) * ReportFormat.allCases.count)
        // One resource's changes: PostgreSQL then reads only that resource's id, kind and scope.
        var rows: ([ChangeRow], [ChangeRow]) = ([], [])
        let one = ReportFilter(gatewayIDs: ["gw-1"])
        try sqlite.store.forEachChangeRow(one) { rows.0.append($0) }
        try postgres.store.forEachChangeRow(one) { rows.1.append($0) }
        #expect(!rows.0.isEmpty && rows.0.allSatisfy { $0.gatewayID == "gw-1" })
        #expect(rows.0 == rows.1)
        for id in ["gw-1", "gw-2", "vpnc-1", "vgw-1"] {
            let a = try WhenChangedReport(store: sqlite.store, gatewayID: GatewayID(id), zone: zone)
            let b = try WhenChangedReport(store: postgres.store, gatewayID: GatewayID(id), zone: zone)
            #expect(a.text == b.text && a.json() == b.json())
        }
    }
}
