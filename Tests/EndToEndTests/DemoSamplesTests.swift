import Foundation
import GatewayAudit
import GatewayAuditDemo
import Testing
import VPNSimulator

@Suite("The demo and its committed samples")
struct DemoSamplesTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("reports/samples")

    @Test("regenerating the demo with the default seed reproduces reports/samples exactly")
    func samplesAreCurrent() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try await Demo(options: Demo.Options(outputDirectory: directory.path)).run()
        #expect(summary.files.count == 36)
        #expect(summary.incompleteRuns == 0)
        if ProcessInfo.processInfo.environment["GA_UPDATE_SAMPLES"] != nil {
            try? FileManager.default.removeItem(at: Self.samples)
            try FileManager.default.createDirectory(at: Self.samples, withIntermediateDirectories: true)
            for file in summary.files {
                let name = URL(fileURLWithPath: file).lastPathComponent
                try FileManager.default.copyItem(atPath: file, toPath: Self.samples.appendingPathComponent(name).path)
            }
        }
        for file in summary.files {
            let name = URL(fileURLWithPath: file).lastPathComponent
            let produced = try Data(contentsOf: URL(fileURLWithPath: file))
            let committed = try Data(contentsOf: Self.samples.appendingPathComponent(name))
            #expect(
                produced == committed,
                "reports/samples/\(name) is stale: run GA_UPDATE_SAMPLES=1 swift test --filter DemoSamples")
        }
    }

    @Test("the demo's history holds every kind of change and anomaly the scenario plays")
    func coverage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try await Demo(options: Demo.Options(outputDirectory: directory.path)).run()
        let database = try HistoryDatabase.open(path: summary.databasePath, readOnly: true)
        let store = HistoryQueries(database)
        var kinds = Set<ChangeKind>()
        try store.forEachChangeRow { kinds.insert($0.change) }
        #expect(kinds == [.firstSeen, .added, .modified, .removed, .gone])
        let anomalies = Set(try store.anomalies().map(\.kind))
        #expect(
            anomalies.isSuperset(of: [
                .offsetRelabelled, .reformatted, .createdAtChanged, .updateWithoutChange, .changedWithoutUpdate,
                .noOffset,
            ]))
        #expect(try database.integrityCheck() == ["ok"])
    }

    @Test("the demo holds all three kinds, tunnels that changed and went DOWN, and when-changed names tunnels")
    func kindsCoverage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try await Demo(options: Demo.Options(outputDirectory: directory.path)).run()
        #expect(ResourceKind.allCases.allSatisfy { (summary.resources[$0]?.known ?? 0) > 0 })
        #expect(summary.tunnelsChanged > 0 && summary.tunnelsDown > 0)
        let store = HistoryQueries(try HistoryDatabase.open(path: summary.databasePath, readOnly: true))
        var changedKinds = Set<ResourceKind>()
        try store.forEachChangeRow { if $0.change.isFieldChange { changedKinds.insert($0.kind) } }
        #expect(changedKinds == Set(ResourceKind.allCases))
        let example = try #require(summary.exampleGatewayID)
        let report = try WhenChangedReport(store: store, gatewayID: example)
        #expect(report.entries.contains { !($0.connections ?? []).isEmpty }, "when-changed names the tunnels")
        #expect(
            try HistoryVerifier(try HistoryDatabase.open(path: summary.databasePath, readOnly: true)).verify().isIntact)
    }

    @Test(
        "the demo refuses to replace a database with real collections, whatever its host looks like",
        arguments: [
            "https://vpn.eu-de.otc.t-systems.com", "http://127.example.com", "http://localhost.corp",
            "https://127.0.0.1.nip.io",
        ])
    func refusesRealDatabase(endpoint: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("real.sqlite").path
        let writer = HistoryWriter(try HistoryDatabase.open(path: path))
        let run = try await writer.beginRun(RunInfo(endpoint: endpoint, projectID: "p", scope: .all))
        try await writer.finishRun(run, status: .complete)
        await #expect(throws: Demo.Failure.self) {
            _ = try await Demo(options: Demo.Options(outputDirectory: directory.path, databasePath: path)).run()
        }
        #expect(try HistoryQueries(try HistoryDatabase.open(path: path, readOnly: true)).runs().count == 1)
    }

    @Test(
        "one loopback rule: only literal loopback hosts count",
        arguments: [
            ("http://127.0.0.1:8080", true), ("http://localhost:9", true), ("http://[::1]:80", true),
            ("http://127.255.0.1", true), ("http://127.example.com", false), ("http://localhost.corp", false),
            ("http://127.0.0.1.nip.io", false), ("http://1270.0.0.1", false), ("import", false), ("", false),
        ])
    func loopbackRule(url: String, loopback: Bool) {
        #expect(Loopback.isLoopback(url: url) == loopback)
    }
}
