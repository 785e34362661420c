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

    /// Two scopes (projects "pa" and "pb") of one gateway each, both first seen on night 1 and renamed on
    /// night 2 (runs 1–4, the scopes alternating); `a`'s new name holds a line break and a terminal escape.
    func estateHistory(_ directory: URL) async throws -> String {
        let path = directory.appendingPathComponent("estate.sqlite").path
        let writer = HistoryWriter(try HistoryDatabase.open(path: path))
        let start = Instant(seconds: 1_740_794_400)  // 2025-03-01T02:00:00Z
        let names = [["a": "alpha", "b": "bravo"], ["a": "alpha\nbravo (b)\r\n  gone\u{1B}[2K", "b": "bravo-2"]]
        for (night, nightNames) in names.enumerated() {
            for (id, project) in [("a", "pa"), ("b", "pb")] {
                let at = start.adding(seconds: Int64(night) * 86_400)
                let info = RunInfo(
                    endpoint: "http://127.0.0.1", projectID: project, scope: .all,
                    scopeKey: ScopeKey(account: "acct", cloud: "huawei", region: "r1", projectID: project))
                let run = try await writer.beginRun(info, at: at)
                let json: JSONValue = .object([
                    "id": .string(id), "name": .string(nightNames[id] ?? ""), "id_type": "ip",
                    "id_value": "203.0.113.10", "created_at": "2025-02-01T10:00:00Z",
                    "updated_at": .string(at.iso8601()),
                ])
                let observation = Observation.present(try CustomerGateway(json: json), at: at.adding(seconds: 60))
                _ = try await ObservationRecorder(writer: writer).record([observation], in: run)
                try await writer.finishRun(run, status: .complete, at: at.adding(seconds: 61))
            }
        }
        return path
    }

    @Test("the default digest is each scope's latest run only: another run of a scope within the day stays out")
    func latestRunOfEachScope() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = HistoryWriter(try HistoryDatabase.open(path: directory.appendingPathComponent("d.sqlite").path))
        let start = Instant(seconds: 1_740_794_400)  // 2025-03-01T02:00:00Z
        // Runs 1–4: "pc" once at 08:00 (its latest), "pa" at 14:00 (not its latest) and the next night, "pb"
        // the next night. The digest is runs 1, 3 and 4: "a" renamed at 14:00 was in an earlier digest.
        let runs: [(project: String, id: String, name: String, hours: Int64)] = [
            ("pc", "c", "charlie", 6), ("pa", "a", "alpha-2", 12), ("pa", "a", "alpha-3", 24), ("pb", "b", "bravo", 24),
        ]
        for run in runs {
            let at = start.adding(seconds: run.hours * 3_600)
            let info = RunInfo(
                endpoint: "http://127.0.0.1", projectID: run.project, scope: .all,
                scopeKey: ScopeKey(account: "acct", cloud: "huawei", region: "r1", projectID: run.project))
            let active = try await writer.beginRun(info, at: at)
            let json: JSONValue = .object([
                "id": .string(run.id), "name": .string(run.name), "id_type": "ip", "id_value": "203.0.113.10",
                "updated_at": .string(at.iso8601()),
            ])
            _ = try await ObservationRecorder(writer: writer).record(
                [.present(try CustomerGateway(json: json), at: at)], in: active)
            try await writer.finishRun(active, status: .complete, at: at.adding(seconds: 1))
        }
        let digest = try await CLI.run(["report", "digest", "--db", directory.appendingPathComponent("d.sqlite").path])
        #expect(digest.status == 0, "\(digest.stderr)")
        #expect(
            digest.stdout == """
                gateway-audit digest, runs 1–4, times in UTC: 3 resource(s) · 1 field change(s) · 2 new

                charlie (c)
                  new, first seen 2025-03-01T08:00:00Z

                alpha-3 (a)
                  name modified: "alpha-2" → "alpha-3", between 2025-03-01T14:00:00Z and 2025-03-02T02:00:00Z

                bravo (b)
                  new, first seen 2025-03-02T02:00:00Z

                """)
    }

    @Test(
        "an estate's digest: by default every scope's last run, --project and --kind keep theirs; control characters shown, not sent"
    )
    func estateDigest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try await estateHistory(directory)
        let shown = "alpha⏎bravo (b)⏎  gone\u{FFFD}[2K"

        let night = try await CLI.run(["report", "digest", "--db", db])
        #expect(night.status == 0, "\(night.stderr)")
        #expect(
            night.stdout == """
                gateway-audit digest, runs 3–4, times in UTC: 2 resource(s) · 2 field change(s)

                \(shown) (a)
                  name modified: "alpha" → "\(shown)", between 2025-03-01T02:01:00Z and 2025-03-02T02:01:00Z

                bravo-2 (b)
                  name modified: "bravo" → "bravo-2", between 2025-03-01T02:01:00Z and 2025-03-02T02:01:00Z

                """)
        #expect(!night.stdout.contains("\u{1B}") && !night.stdout.contains("\r"))

        let own = try await CLI.run(["report", "digest", "--db", db, "--project", "pb"])
        #expect(own.status == 0, "\(own.stderr)")
        #expect(
            own.stdout == """
                gateway-audit digest, run 4, times in UTC: 1 resource(s) · 1 field change(s)

                bravo-2 (b)
                  name modified: "bravo" → "bravo-2", between 2025-03-01T02:01:00Z and 2025-03-02T02:01:00Z

                """)

        // No connection changed: nothing on standard output; into a file, an empty file replaces the last one.
        let output = directory.appendingPathComponent("digest.txt").path
        try "an earlier digest\n".write(toFile: output, atomically: true, encoding: .utf8)
        let none = try await CLI.run(["report", "digest", "--db", db, "--kind", "vpn-connection"])
        #expect(none.status == 0 && none.stdout == "" && none.stderr == "")
        let emptied = try await CLI.run([
            "report", "digest", "--db", db, "--kind", "vpn-connection", "--output", output,
        ])
        #expect(emptied.status == 0)
        #expect(emptied.stderr == "wrote \(output) (empty: nothing to report)\n")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "")
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

        // A key given for standard output would sign nothing: refused before anything is read.
        let unsigned = try await CLI.run([
            "report", "changes", "--output", "-", "--sign-key", "/nonexistent.key", "--db", db,
        ])
        #expect(unsigned.status == 2 && unsigned.stdout == "")
        #expect(
            unsigned.stderr
                == "gateway-audit: error: --sign-key signs the manifest written beside a file; standard output has "
                + "none: pass --output FILE (see --help)\n")
    }
}
