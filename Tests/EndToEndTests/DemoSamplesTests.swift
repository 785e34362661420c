import Foundation
import GatewayAudit
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
        #expect(summary.files.count == 12)
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
            #expect(produced == committed, "reports/samples/\(name) is stale: run GA_UPDATE_SAMPLES=1 swift test --filter DemoSamples")
        }
    }

    @Test("the demo's history holds every kind of change and anomaly the scenario plays")
    func coverage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try await Demo(options: Demo.Options(outputDirectory: directory.path)).run()
        let store = try SQLiteStore(path: summary.databasePath, readOnly: true)
        var kinds = Set<ChangeKind>()
        try store.forEachChangeRow { kinds.insert($0.change) }
        #expect(kinds == [.firstSeen, .added, .modified, .removed, .gone])
        let anomalies = Set(try store.anomalies().map(\.kind))
        #expect(anomalies.isSuperset(of: [.offsetRelabelled, .reformatted, .createdAtChanged, .updateWithoutChange, .changedWithoutUpdate, .noOffset]))
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test("the demo refuses to replace a database with real collections")
    func refusesRealDatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("real.sqlite").path
        let store = try SQLiteStore(path: path)
        let run = try store.beginRun(RunInfo(endpoint: "https://vpn.eu-de.otc.t-systems.com", projectID: "p", scope: "all"))
        try store.finishRun(run, status: .complete)
        await #expect(throws: Demo.Failure.self) {
            _ = try await Demo(options: Demo.Options(outputDirectory: directory.path, databasePath: path)).run()
        }
        #expect(try SQLiteStore(path: path, readOnly: true).runs().count == 1)
    }
}
