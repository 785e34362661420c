import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("import: backfilling saved API responses")
struct SnapshotImporterTests {
    @Test(
        "observation times in file names",
        arguments: [
            ("cgw-2025-03-01T02:00:00Z.json", "2025-03-01T02:00:00Z"),
            ("2025-03-01T02-00-00Z.json", "2025-03-01T02:00:00Z"),
            ("dump-2025-03-01T04-00-00+02:00.json", "2025-03-01T02:00:00Z"),
            ("gateways.20250301T020000Z.json", "2025-03-01T02:00:00Z"),
            ("2025-03-01.json", "2025-03-01T00:00:00Z"),
            ("nightly_2025-03-01_gateways.json", "2025-03-01T00:00:00Z"),
        ])
    func fileNames(name: String, expected: String) {
        #expect(SnapshotImporter.time(inFileName: name)?.iso8601() == expected)
    }

    @Test("names without a time give nil", arguments: ["gateways.json", "v5-list.json", "12345.json"])
    func noTime(name: String) {
        #expect(SnapshotImporter.time(inFileName: name) == nil)
    }

    func write(_ f: StoreFixture, _ name: String, _ body: String) throws -> String {
        let path = f.directory.appendingPathComponent(name).path
        try Data(body.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("list pages, single responses, arrays and bare objects; one run per night; a rename found")
    func shapes() async throws {
        let f = try StoreFixture()
        let n1 = try write(
            f, "2025-03-01T02-00-00Z.json",
            #"{"customer_gateways":[{"id":"a","name":"alpha","updated_at":"2025-02-01T00:00:00Z"},{"id":"b","name":"bravo"}],"page_info":{"current_count":2}}"#
        )
        let n1b = try write(
            f, "c-2025-03-01T02-00-00Z.json", #"{"customer_gateway":{"id":"c","name":"charlie"},"request_id":"x"}"#)
        let n2 = try write(
            f, "2025-03-02T02-00-00Z.json",
            #"[{"id":"a","name":"alpha-2","updated_at":"2025-03-01T12:00:00Z"},{"id":"b","name":"bravo"},{"id":"c","name":"charlie"}]"#
        )
        let n3 = try write(
            f, "a-2025-03-03T02-00-00Z.json", #"{"id":"a","name":"alpha-2","updated_at":"2025-03-01T12:00:00Z"}"#)
        let summary = try await SnapshotImporter(database: f.database).importFiles([n3, n2, n1b, n1])
        #expect(summary.files == 4 && summary.runs == 3)
        #expect(summary.counts.new == 3 && summary.counts.changed == 1 && summary.counts.unchanged == 3)
        let rename = try f.changes().filter { $0.field == "name" }
        #expect(rename.map(\.newValue) == ["alpha-2"])
        #expect(rename.first?.lastSeenBefore?.iso8601() == "2025-03-01T02:00:00Z")
        #expect(rename.first?.firstSeenAfter.iso8601() == "2025-03-02T02:00:00Z")
        #expect(try f.store.runs().map(\.scope) == [.import, .import, .import])
        #expect(try f.verify().isIntact)
    }

    @Test("--listings-complete records a missing gateway as gone")
    func listingsComplete() async throws {
        let f = try StoreFixture()
        let n1 = try write(f, "2025-03-01.json", #"{"customer_gateways":[{"id":"a"},{"id":"b"}]}"#)
        let n2 = try write(f, "2025-03-02.json", #"{"customer_gateways":[{"id":"a"}]}"#)
        let summary = try await SnapshotImporter(database: f.database, listingsComplete: true).importFiles([n1, n2])
        #expect(summary.counts.gone == 1)
        #expect(try f.store.gateways().map(\.state) == [.present, .gone])
    }

    @Test("a broken file stops the import naming it; earlier nights stay; older files are refused")
    func errors() async throws {
        let f = try StoreFixture()
        let good = try write(f, "2025-03-01.json", #"{"customer_gateways":[{"id":"a"}]}"#)
        let bad = try write(f, "2025-03-02.json", #"{"customer_gateways":[{"id":"a"}"#)
        await #expect {
            try await SnapshotImporter(database: f.database).importFiles([good, bad])
        } throws: { error in
            guard case ImportError.unreadable(let path, _) = error else { return false }
            return path == bad && "\(error)".contains("nothing from this file or later ones was imported")
        }
        #expect(try f.store.runs().count == 1)
        let old = try write(f, "2025-02-01.json", #"{"customer_gateways":[{"id":"a"}]}"#)
        await #expect(
            throws: ImportError.olderThanHistory(
                path: old, observedAt: "2025-02-01T00:00:00Z", latest: "2025-03-01T00:00:00Z")
        ) {
            try await SnapshotImporter(database: f.database).importFiles([old])
        }
    }
}
