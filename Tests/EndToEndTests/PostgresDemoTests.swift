import Foundation
import GatewayAudit
import GatewayAuditDemo
import Testing

@Suite(
    "The demo's nights collected into PostgreSQL",
    .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipped))
struct PostgresDemoTests {
    @Test("reproduce reports/samples byte for byte, as the SQLite demo does; the summary shows no password")
    func samplesFromPostgres() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-demo-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try PostgresTestServer.freshDatabase()
        let summary = try await Demo(options: Demo.Options(outputDirectory: directory.path, databasePath: url)).run()
        #expect(summary.files.count == 36 && summary.incompleteRuns == 0)
        #expect(summary.databasePath.hasPrefix("postgres://") && !summary.databasePath.contains(":\(password(url))@"))
        for file in summary.files {
            let name = URL(fileURLWithPath: file).lastPathComponent
            let produced = try Data(contentsOf: URL(fileURLWithPath: file))
            let committed = try Data(contentsOf: DemoSamplesTests.samples.appendingPathComponent(name))
            #expect(produced == committed, "\(name) from PostgreSQL differs from reports/samples")
        }
        await #expect(throws: Demo.Failure.self) {
            _ = try await Demo(options: Demo.Options(outputDirectory: directory.path, databasePath: url)).run()
        }
        let verify = try HistoryVerifier(try HistoryDatabase.open(path: url, readOnly: true)).verify()
        #expect(verify.problems.isEmpty && verify.runs == 31)
    }

    private func password(_ url: String) -> String { URLComponents(string: url)?.password ?? "-" }
}
