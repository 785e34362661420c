import Foundation
import GatewayAudit
import Testing

/// `report digest` through the built binary: news as text, HTML and JSON; nothing at all on a quiet night.
@Suite("report digest on the command line")
struct DigestCommandLineTests {
    /// A database with four runs: `a` and `b` first seen, a quiet night, `a` renamed, a quiet night.
    func history(_ directory: URL) async throws -> String {
        let path = directory.appendingPathComponent("history.sqlite").path
        let database = try HistoryDatabase.open(path: path)
        let writer = HistoryWriter(database)
        let start = Instant(seconds: 1_740_794_400)  // 2025-03-01T02:00:00Z
        let names = [
            ["a": "alpha", "b": "bravo"], ["a": "alpha", "b": "bravo"], ["a": "alpha-2", "b": "bravo"],
            ["a": "alpha-2", "b": "bravo"],
        ]
        for (night, nightNames) in names.enumerated() {
            let at = start.adding(seconds: Int64(night) * 86_400)
            let run = try await writer.beginRun(
                RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all), at: at)
            let observations = try nightNames.sorted { $0.key < $1.key }.map { id, name in
                let json: JSONValue = .object([
                    "id": .string(id), "name": .string(name), "id_type": "ip", "id_value": "203.0.113.10",
                    "created_at": "2025-02-01T10:00:00Z", "updated_at": "2025-02-01T10:00:00Z",
                ])
                return Observation.present(try CustomerGateway(json: json), at: at.adding(seconds: 60))
            }
            _ = try await ObservationRecorder(writer: writer).record(observations, in: run)
            try await writer.finishRun(run, status: .complete, at: at.adding(seconds: 61))
        }
        return path
    }

    @Test("news as text; nothing to report prints nothing and exits 0; --since-run and --format json")
    func digest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try await history(directory)

        let latest = try await CLI.run(["report", "digest", "--db", db])
        #expect(latest.status == 0, "\(latest.stderr)")
        #expect(latest.stdout == "")

        let quiet = try await CLI.run(["report", "digest", "--since-run", "4", "--db", db, "--format", "json"])
        #expect(quiet.status == 0 && quiet.stdout == "" && quiet.stderr == "")

        let renamed = try await CLI.run(["report", "digest", "--since-run", "2", "--db", db, "--format", "json"])
        #expect(renamed.status == 0)
        #expect(
            renamed.stdout
                == #"{"event":"modified","gateway_id":"a","name":"alpha-2","field":"name","old_value":"alpha","new_value":"alpha-2","last_seen_before":"2025-03-02T02:01:00Z","first_seen_after":"2025-03-03T02:01:00Z","run":"3","detail":""}"#
                + "\n"
                + #"{"event":"anomaly","gateway_id":"a","name":"alpha-2","field":"updated_at","old_value":"","new_value":"","last_seen_before":"","first_seen_after":"","run":"","detail":"changed-without-update: name changed, updated_at still 2025-02-01T10:00:00Z"}"#
                + "\n")

        let all = try await CLI.run(["report", "digest", "--since-run", "1", "--db", db])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(
            all.stdout == """
                gateway-audit digest, runs 1–4, times in UTC: 2 resource(s) · 1 field change(s) · 2 new · 1 anomaly(ies)

                alpha-2 (a)
                  new, first seen 2025-03-01T02:01:00Z
                  name modified: "alpha" → "alpha-2", between 2025-03-02T02:01:00Z and 2025-03-03T02:01:00Z
                  anomaly changed-without-update on updated_at: name changed, updated_at still 2025-02-01T10:00:00Z

                bravo (b)
                  new, first seen 2025-03-01T02:01:00Z

                """)

        let html = try await CLI.run(["report", "digest", "--since", "2025-03-02", "--format", "html", "--db", db])
        #expect(html.status == 0)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && !html.stdout.contains("<script"))

        let wrong = try await CLI.run(["report", "digest", "--format", "csv", "--db", db])
        #expect(wrong.status == 2)
        #expect(wrong.stderr == "gateway-audit: error: report digest: --format is text, html or json (see --help)\n")
    }
}
