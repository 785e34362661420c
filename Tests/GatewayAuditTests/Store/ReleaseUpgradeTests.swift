import Crypto
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// `Fixtures/databases/release-1.sqlite` was written by the first release's binary (main at 7e36b88):
/// `gateway-audit demo --nights 3` (runs 1–4), a collection that failed (run 5), one killed with SIGKILL
/// (run 6, closed as aborted by run 7, which failed too). Each run is sealed with that release's hash.
@Suite("A database written by the first release upgrades in place and still verifies")
struct ReleaseUpgradeTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/databases/release-1.sqlite")

    /// A private copy of the fixture (opening it for writing migrates it).
    func copy() throws -> StoreFixtureCopy {
        try StoreFixtureCopy(source: Self.fixture)
    }

    @Test(
        "a reading command upgrades it too: runs, reports and verify read it (they crashed or failed on its columns)"
    )
    func upgradeOnRead() throws {
        let f = try copy()
        let database = try HistoryDatabase.open(path: f.path, readOnly: true)
        let queries = HistoryQueries(database)
        #expect(try queries.runs().map(\.id) == [7, 6, 5, 4, 3, 2, 1])
        #expect(try queries.gateways().count == 14)
        #expect(try HistoryVerifier(database).verify().isIntact)
        let migrations = try sqlite3(f.path, "SELECT COUNT(*) FROM grdb_migrations")
        #expect(migrations == "\(HistoryDatabase.migrator.migrations.count)\n")
    }

    @Test("the release's runs verify after the upgrade, then a new run is sealed with the explicit encoding")
    func upgradeAndCollect() async throws {
        let f = try copy()
        let runs = try sqlite3(f.path, "SELECT COUNT(*) FROM run")
        let database = try HistoryDatabase.open(path: f.path)
        let verification = try HistoryVerifier(database).verify()
        #expect(verification.isIntact, "\(verification.problems)")
        #expect("\(verification.runs)\n" == runs)
        #expect(try HistoryQueries(database).recordedHead(verification.chainHead))

        // The history belongs to the scope its runs recorded: their project, no account, and no cloud
        // or region (the release's runs went to a loopback endpoint).
        let project = "0b5c1e2f9a3d4e6f8a7b6c5d4e3f2a1b"
        let scope = ScopeKey(account: "", cloud: "", region: "", projectID: project)
        #expect(try HistoryQueries(database).gateways().allSatisfy { $0.scope == scope })
        #expect(try HistoryQueries(database).runs().allSatisfy { $0.scopeKey == scope })
        #expect(try HistoryQueries(database).gateways(ScopeFilter(projectID: project)).count == 14)
        #expect(try HistoryQueries(database).gateways(ScopeFilter(account: "prod")).isEmpty)

        let writer = HistoryWriter(database)
        let gateways = try HistoryQueries(database).gateways().filter { $0.state == .present }
        let run = try await writer.beginRun(RunInfo(endpoint: "http://127.0.0.1:1", projectID: project, scope: .ids))
        let at = run.startedAt
        let observations = gateways.map {
            Observation(gatewayID: $0.gatewayID, observedAt: at, result: .failed("HTTP 503"))
        }
        _ = try await ObservationRecorder(writer: writer).record(observations, in: run)
        try await writer.finishRun(run, status: .partial, message: "\"quoted\"\nand a new line", at: at)
        #expect(try HistoryVerifier(database).verify().isIntact)
        #expect(
            try sqlite3(
                f.path, "SELECT group_concat(record_version, '') FROM (SELECT record_version FROM run ORDER BY id)")
                == String(repeating: "1", count: verification.runs) + "4\n")
        #expect(try HistoryQueries(database).gateways().allSatisfy { $0.scope == scope })
    }

    @Test("the upgrade keeps each of the release's digests as its 32 bytes: the same values, verified, no kind index")
    func compactDigests() throws {
        let f = try copy()
        let before = try sqlite3(f.path, "SELECT id, content_sha256, chain_sha256 FROM snapshot ORDER BY id")
        #expect(try sqlite3(f.path, "SELECT DISTINCT typeof(chain_sha256) FROM snapshot") == "text\n")
        let database = try HistoryDatabase.open(path: f.path)
        #expect(
            try sqlite3(
                f.path, "SELECT id, lower(hex(content_sha256)), lower(hex(chain_sha256)) FROM snapshot ORDER BY id")
                == before)
        #expect(
            try sqlite3(f.path, "SELECT DISTINCT typeof(chain_sha256), length(chain_sha256) FROM snapshot")
                == "blob|32\n")
        #expect(
            try sqlite3(f.path, "SELECT DISTINCT typeof(content_sha256), length(content_sha256) FROM snapshot")
                == "blob|32\n")
        #expect(try sqlite3(f.path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'gateway_by_kind'") == "0\n")
        let verification = try HistoryVerifier(database).verify()
        #expect(verification.isIntact, "\(verification.problems)")
        #expect(try HistoryQueries(database).recordedHead(verification.chainHead))
    }

    @Test(
        "the upgrade compresses each of the release's contents (v8-deflate); every one reads back as the release wrote it"
    )
    func compressedContents() throws {
        let f = try copy()
        let texts = "SELECT content FROM snapshot WHERE content IS NOT NULL ORDER BY gateway, seq"
        let before = try sqlite3(f.path, texts).split(separator: "\n").map(String.init)
        #expect(try sqlite3(f.path, "SELECT DISTINCT typeof(content) FROM snapshot ORDER BY 1") == "text\n")
        let bytes = try sqlite3(f.path, "SELECT SUM(length(content)) FROM snapshot")
        let database = try HistoryDatabase.open(path: f.path)
        #expect(try sqlite3(f.path, "SELECT DISTINCT typeof(content) FROM snapshot ORDER BY 1") == "blob\n")
        let compressed = try sqlite3(f.path, "SELECT SUM(length(content)) FROM snapshot")
        #expect((Int(compressed.dropLast()) ?? .max) * 3 < Int(bytes.dropLast()) ?? 0, "\(compressed) of \(bytes)")
        var rows: [HistoryRow] = []
        try HistoryQueries(database).forEachHistoryRow(ReportFilter()) { rows.append($0) }
        #expect(rows.count == before.count)
        #expect(Set(rows.compactMap { $0.resource?.canonicalJSON }) == Set(before))
        #expect(before.count > 10)
    }

    /// A history with a departure (gw-b left project p for q), then put back in the form the release
    /// before `v7-compact` wrote: contents as JSON text, digests as hex text, the index of resources by kind,
    /// no `v7-compact` or `v8-deflate`.
    func earlierReleaseHistory() async throws -> StoreFixture {
        let f = try StoreFixture()
        try await f.run(night: 1, try standardGateway(id: "gw-a"), try standardGateway(id: "gw-b"))
        let run = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "q", scope: .all), at: StoreFixture.night(2))
        let at = StoreFixture.night(2).adding(seconds: 60)
        _ = try await f.recorder.record([.present(try standardGateway(id: "gw-b", name: "moved"), at: at)], in: run)
        try await f.writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
        try f.database.checkpoint()
        try HistoryDatabase.undoDeflate(path: f.path)
        try sqlite3(f.path, HistoryDatabase.beforeCompactSQL)
        return f
    }

    @Test(
        "a history of the release before v7-compact, departures included, upgrades to bytes and verifies; it grows on")
    func upgradeFromV6() async throws {
        let f = try await earlierReleaseHistory()
        let digests = """
            SELECT 'snapshot', typeof(content_sha256), typeof(chain_sha256), length(chain_sha256) FROM snapshot
            UNION SELECT 'scope_move', '', typeof(chain_sha256), length(chain_sha256) FROM scope_move ORDER BY 1, 2
            """
        let contents = "SELECT DISTINCT typeof(content) FROM snapshot; SELECT COUNT(*) FROM content_dictionary"
        #expect(try sqlite3(f.path, digests) == "scope_move||text|64\nsnapshot|text|text|64\n")
        #expect(throws: SQLiteShell.Failure.self) { try sqlite3(f.path, contents) }
        #expect(try sqlite3(f.path, "SELECT DISTINCT typeof(content) FROM snapshot") == "text\n")
        let head = try HistoryVerifier(try HistoryDatabase.open(path: f.path, readOnly: true)).verify().chainHead
        let upgraded = try HistoryDatabase.open(path: f.path)
        #expect(try sqlite3(f.path, digests) == "scope_move||blob|32\nsnapshot|blob|blob|32\n")
        #expect(try sqlite3(f.path, contents) == "blob\n3\n")
        #expect(try sqlite3(f.path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'gateway_by_kind'") == "0\n")
        let verification = try HistoryVerifier(upgraded).verify()
        #expect(verification.isIntact, "\(verification.problems)")
        #expect(verification.chainHead == head)
        // The chains go on from the converted links: a change of each resource, then verify again.
        let writer = HistoryWriter(upgraded)
        for (project, id) in [("p", "gw-a"), ("q", "gw-b")] {
            let run = try await writer.beginRun(
                RunInfo(endpoint: "http://127.0.0.1", projectID: project, scope: .all), at: StoreFixture.night(3))
            let at = StoreFixture.night(3).adding(seconds: 60)
            #expect(
                try await ObservationRecorder(writer: writer).record(
                    [.present(try standardGateway(id: id, name: "night 3"), at: at)], in: run) == [.changed])
            try await writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
        }
        let again = try HistoryVerifier(upgraded).verify()
        #expect(again.isIntact && again.snapshots == 5, "\(again.problems)")
    }

    @Test("the upgrade waits for a run of the earlier release still going, and leaves the file as it was until it ends")
    func upgradeWaitsForEarlierRuns() async throws {
        let f = try await earlierReleaseHistory()
        let lock = f.path + ".0123456789abcdef.lock"
        let fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        #expect {
            _ = try HistoryDatabase.open(path: f.path, busyTimeout: .milliseconds(300))
        } throws: { error in
            "\(error)"
                == "a run of an earlier gateway-audit is still writing \(f.path) (it holds \(lock)); this release "
                + "converts the file on its first write: stop the earlier release's collectors, then try again"
        }
        #expect(try sqlite3(f.path, "SELECT DISTINCT typeof(chain_sha256) FROM snapshot") == "text\n")
        #expect(try sqlite3(f.path, "SELECT COUNT(*) FROM grdb_migrations WHERE identifier = 'v7-compact'") == "0\n")
        flock(fd, LOCK_UN)
        close(fd)
        _ = try HistoryDatabase.open(path: f.path, busyTimeout: .milliseconds(300))
        #expect(try sqlite3(f.path, "SELECT DISTINCT typeof(chain_sha256) FROM snapshot") == "blob\n")
    }

    @Test("an edit to a run sealed by the release is still named after the upgrade")
    func legacyTamperDetected() async throws {
        let f = try copy()
        _ = try HistoryDatabase.open(path: f.path)
        try sqlite3(f.path, "UPDATE run SET message = 'edited' WHERE id = (SELECT MAX(id) FROM run)")
        let result = try HistoryVerifier(try HistoryDatabase.open(path: f.path, readOnly: true)).verify()
        #expect(result.problems.map(\.area) == [.run])
        #expect(
            result.problems.first?.description.hasSuffix(
                "record differs from its hash: a time, status, count, endpoint or head was edited, or an earlier run was removed"
            )
                == true)
    }

    @Test(
        "the explicit encoding tags every value, so no text can pass for another value",
        arguments: [
            (RunRecordField.null, "n"), (.int64(42), "i42"), (.int64(-7), "i-7"), (.string("42"), "t2:42"),
            (.string(""), "t0:"), (.string("a\"b\né"), "t6:a\"b\né"), (.blob(Data([0, 255])), "b2:00ff"),
        ])
    func taggedEncoding(value: RunRecordField, expected: String) {
        #expect(RunRecordChain.taggedText(value) == expected)
    }

    @Test("a new run's record hash is SHA-256 over the documented field encoding, nothing library-specific")
    func recordHashIsDocumentedEncoding() async throws {
        let f = try StoreFixture()
        try await f.run(night: 1, try standardGateway(id: "a"))
        let run = try await f.writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1:1/v5", projectID: "p\"q", scope: .ids, kinds: [.vpnConnection]))
        try await f.writer.finishRun(
            run, status: .failed, message: "say \"hi\"\nthen \\ leave", at: StoreFixture.night(2))
        try f.database.checkpoint()
        // Each field as the sqlite3 shell quotes it: NULL, a number, or 'text' with '' for a quote.
        let columns = [
            "id", "started_at", "finished_at", "status", "endpoint", "project_id", "tool_version", "scope", "observed",
            "unchanged", "changed", "new", "gone", "failed", "message", "chain_head", "record_version", "cloud",
            "region", "account", "kinds",
        ]
        let values = try columns.map { column in
            String(try sqlite3(f.path, "SELECT quote(\(column)) FROM run WHERE id = 2").dropLast())
        }
        let tagged = values.map { literal -> String in
            if literal == "NULL" { return "n" }
            if literal.hasPrefix("'") {
                let text = String(literal.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
                return "t\(text.utf8.count):" + text
            }
            return "i" + literal
        }
        // Chained to the previous run of the same scope: run 1 collected project p, run 2 project p"q.
        let previous = try sqlite3(
            f.path,
            "SELECT record_sha256 FROM run WHERE id < 2 AND account = '' AND cloud = '' AND region = '' AND project_id = 'p\"q'"
        ).trimmingCharacters(in: .newlines)
        #expect(previous.isEmpty)
        let expected = SHA256.hash(data: Data(([previous] + tagged).joined(separator: "\n").utf8)).hexString
        #expect(try sqlite3(f.path, "SELECT record_sha256 FROM run WHERE id = 2") == expected + "\n")
        #expect(try f.verify().isIntact)
    }

    @Test("the release's encoding is reproduced exactly: NUL for NULL, decimal, Swift string literals")
    func legacyEncoding() {
        #expect(RunRecordChain.legacyText(.null) == "\u{0}")
        #expect(RunRecordChain.legacyText(.int64(-7)) == "-7")
        #expect(RunRecordChain.legacyText(.string("a\"b\n")) == #""a\"b\n""#)
    }
}

/// A temp copy of a fixture database, removed afterwards.
final class StoreFixtureCopy {
    let directory: URL
    let path: String

    init(source: URL) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-release-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("history.sqlite").path
        try FileManager.default.copyItem(atPath: source.path, toPath: path)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}
