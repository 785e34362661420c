import TestSupport
import Foundation
import Testing

@Suite(
    "The demo's nights collected into PostgreSQL",
    .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipped))
struct PostgresDemoTests {
    @Test("`demo --db postgres://…` reproduces reports/samples byte for byte; the password is never shown")
    func samplesFromPostgres() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-demo-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try await PostgresTestServer.freshDatabase()
        let password = try #require(URLComponents(string: url)?.password)
        let demo = try await CLI.run(["demo", "--output-dir", directory.path, "--db", url])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(!demo.stdout.contains(password) && !demo.stderr.contains(password))
        #expect(demo.stdout.contains("  database:   postgres://"))
        let samples = try FileManager.default.contentsOfDirectory(atPath: DemoSamplesTests.samples.path)
        #expect(samples.count == 36)
        for name in samples {
            let produced = try Data(contentsOf: directory.appendingPathComponent(name))
            let committed = try Data(contentsOf: DemoSamplesTests.samples.appendingPathComponent(name))
            #expect(produced == committed, "\(name) from PostgreSQL differs from reports/samples")
        }
        let again = try await CLI.run(["demo", "--output-dir", directory.path, "--db", url])
        #expect(again.status == 2 && again.stderr.contains("already holds runs"), "\(again.stderr)")
        let verify = try await CLI.run(["verify", "--db", url])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ok:"), "\(verify.stdout)")
    }
}
