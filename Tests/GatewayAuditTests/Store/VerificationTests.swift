import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("verify: tampering with the history is detected and named")
struct VerificationTests {
    /// A three-night history of three gateways with a rename, a gone gateway and a failure.
    func history() async throws -> StoreFixture {
        let f = try StoreFixture()
        let ids: [GatewayID] = ["a", "b", "c"]
        try await f.run(night: 1, try ids.map { .present(try standardGateway(id: $0.rawValue)) }, ids: ids)
        try await f.run(
            night: 2,
            [
                .present(try standardGateway(id: "a", name: "renamed", updated: "2025-03-01T12:00:00Z")),
                .present(try standardGateway(id: "b")), .gone,
            ], ids: ids)
        try await f.run(
            night: 3,
            [
                .present(try standardGateway(id: "a", name: "renamed", updated: "2025-03-01T12:00:00Z")),
                .failed("HTTP 503"), .gone,
            ], ids: ids)
        return f
    }

    @Test("an untouched history verifies, and the head equals what the last run recorded")
    func intact() async throws {
        let f = try await history()
        let result = try f.verify()
        #expect(result.isIntact, "\(result.problems)")
        #expect(result.snapshots == 5 && result.runs == 3)
        #expect(result.chainHead.count == 64)
        #expect(try f.store.runs().first?.status == .partial)
        #expect(try f.store.recordedHead(result.chainHead))
    }

    @Test(
        "digests are stored as their 32 bytes; rewritten as hex text, as releases before v7-compact stored them, they read and verify the same"
    )
    func digestForms() async throws {
        let f = try await history()
        try f.database.checkpoint()
        let bytes =
            "SELECT DISTINCT typeof(content_sha256), length(content_sha256), typeof(chain_sha256), length(chain_sha256) FROM snapshot ORDER BY 1"
        // Gone gateways' tombstones have no content, so no content digest.
        #expect(try sqlite3(f.path, bytes) == "blob|32|blob|32\nnull||blob|32\n")
        let rows = try f.history()
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0.contentSHA256 == $0.resource?.contentSHA256 && $0.chainSHA256.count == 64 })
        let head = try f.store.chainHead()
        try sqlite3(
            f.path,
            """
            UPDATE snapshot SET chain_sha256 = lower(hex(chain_sha256)),
                content_sha256 = CASE WHEN content_sha256 IS NULL THEN NULL ELSE lower(hex(content_sha256)) END
            """)
        #expect(try sqlite3(f.path, bytes) == "null||text|64\ntext|64|text|64\n")
        let reopened = try HistoryDatabase.open(path: f.path, readOnly: true)
        let result = try HistoryVerifier(reopened).verify()
        #expect(result.isIntact, "\(result.problems)")
        #expect(result.chainHead == head)
        var reread: [HistoryRow] = []
        try HistoryQueries(reopened).forEachHistoryRow(ReportFilter()) { reread.append($0) }
        #expect(reread.map { [$0.contentSHA256, $0.chainSHA256] } == rows.map { [$0.contentSHA256, $0.chainSHA256] })
    }

    @Test(
        "contents are stored compressed, a third of their JSON or less, and read back exactly; as text they read the same and verify"
    )
    func compressedContents() async throws {
        let f = try await history()
        try f.database.checkpoint()
        let rows = try f.history()
        let sizes = try sqlite3(
            f.path,
            "SELECT typeof(content), substr(hex(content), 1, 2), length(content) FROM snapshot WHERE content IS NOT NULL ORDER BY id"
        )
        let lines = sizes.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        let json = rows.compactMap { $0.resource?.canonicalJSON }
        #expect(lines.count == 4 && json.count == 4)
        #expect(lines.allSatisfy { $0[0] == "blob" && $0[1] == "01" })
        for (line, text) in zip(lines, json) {
            #expect(Int(line[2]) ?? .max <= text.utf8.count / 3, "\(line[2]) bytes for \(text.utf8.count): \(text)")
        }
        let head = try f.store.chainHead()
        try HistoryDatabase.expandContents(path: f.path)
        #expect(try sqlite3(f.path, "SELECT DISTINCT typeof(content) FROM snapshot ORDER BY 1") == "null\ntext\n")
        let reopened = try HistoryDatabase.open(path: f.path, readOnly: true)
        let result = try HistoryVerifier(reopened).verify()
        #expect(result.isIntact && result.chainHead == head, "\(result.problems)")
        var reread: [HistoryRow] = []
        try HistoryQueries(reopened).forEachHistoryRow(ReportFilter()) { reread.append($0) }
        #expect(reread.compactMap { $0.resource?.canonicalJSON } == json)
    }

    @Test(
        "an edited compressed content is detected: bytes that do not inflate, or another snapshot's bytes",
        arguments: [
            "UPDATE snapshot SET content = zeroblob(40) WHERE seq = 2 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'a')",
            "UPDATE snapshot SET content = substr(content, 1, length(content) - 2) WHERE seq = 2 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'a')",
            """
            UPDATE snapshot SET content = (SELECT content FROM snapshot WHERE seq = 1 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'a'))
            WHERE seq = 2 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'a')
            """,
        ])
    func editedCompressedContent(sql: String) async throws {
        let f = try await history()
        try f.database.checkpoint()
        try sqlite3(f.path, sql)
        #expect(try sqlite3(f.path, "SELECT DISTINCT typeof(content) FROM snapshot ORDER BY 1") == "blob\nnull\n")
        let problems = try HistoryVerifier(HistoryDatabase.open(path: f.path, readOnly: true)).verify().problems
        #expect(
            problems.map(\.description).first
                == "gateway a snapshot 2: content does not match its stored SHA-256 (content was edited)", "\(problems)"
        )
    }

    @Test(
        "each kind of edit is detected and named",
        arguments: [
            (
                "UPDATE snapshot SET content = replace(content, 'renamed', 'renamex') WHERE seq = 2",
                "gateway a snapshot 2: content does not match its stored SHA-256 (content was edited)"
            ),
            (
                "UPDATE snapshot SET content = replace(content, 'renamed', 'renamex'), content_sha256 = 'x' WHERE seq = 2",
                "gateway a snapshot 2: content does not match its stored SHA-256 (content was edited)"
            ),
            (
                "UPDATE snapshot SET content_sha256 = zeroblob(32) WHERE seq = 2 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'a')",
                "gateway a snapshot 2: content does not match its stored SHA-256 (content was edited)"
            ),
            (
                "UPDATE snapshot SET chain_sha256 = zeroblob(32) WHERE seq = 2 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'a')",
                "gateway a snapshot 2: chain link differs: its content, state, kind, first run, first-seen time or predecessor was changed"
            ),
            (
                "UPDATE snapshot SET chain_sha256 = upper(hex(chain_sha256)) WHERE seq = 2 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'a')",
                "gateway a snapshot 2: chain link differs: its content, state, kind, first run, first-seen time or predecessor was changed"
            ),
            (
                "UPDATE snapshot SET first_seen = first_seen + 1 WHERE seq = 2 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'a')",
                "gateway a snapshot 2: chain link differs: its content, state, kind, first run, first-seen time or predecessor was changed"
            ),
            (
                "UPDATE run SET started_at = started_at - 3600000000000 WHERE id = 2",
                "run 2: record differs from its hash: a time, status, count, endpoint or head was edited, or an earlier run was removed"
            ),
            (
                "DELETE FROM change WHERE field = 'name'",
                "gateway a snapshot 2: stored changes differ from the snapshots (0 stored, 1 recomputed)"
            ),
            (
                "DELETE FROM snapshot WHERE seq = 1 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'c')",
                "gateway c snapshot 2: snapshot 1 is missing (next stored is 2)"
            ),
            (
                "DELETE FROM snapshot WHERE seq = 2 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'c')",
                "chain head: the last run recorded"
            ),
            (
                "UPDATE snapshot SET seq = -seq WHERE gateway = (SELECT id FROM gateway WHERE gateway_id = 'a'); UPDATE snapshot SET seq = 3 + seq WHERE seq < 0",
                "gateway a snapshot 1: chain link differs: its content, state, kind, first run, first-seen time or predecessor was changed"
            ),
            (
                "DELETE FROM change WHERE change = 'gone'",
                "gateway c snapshot 2: stored changes differ from the snapshots (0 stored, 1 recomputed)"
            ),
            (
                """
                INSERT INTO change (snapshot, ordinal, change, field) SELECT id, 1, 'gone', '' FROM snapshot
                WHERE seq = 1 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'b')
                """,
                "gateway b snapshot 1: stored changes differ from the snapshots (2 stored, 1 recomputed)"
            ),
            (
                """
                DELETE FROM change WHERE change = 'first-seen' AND snapshot = (SELECT id FROM snapshot
                WHERE seq = 1 AND gateway = (SELECT id FROM gateway WHERE gateway_id = 'b'))
                """,
                "gateway b snapshot 1: stored changes differ from the snapshots (0 stored, 1 recomputed)"
            ),
            (
                "DELETE FROM run WHERE id = 3",
                "run 3: not in the history, but gateway a's last-seen mark and 2 more name it: a run was removed"
            ),
            (
                "DELETE FROM run WHERE id = 1",
                "run 2: record differs from its hash: a time, status, count, endpoint or head was edited, or an earlier run was removed"
            ),
        ])
    func tampering(sql: String, expected: String) async throws {
        let f = try await history()
        try f.database.checkpoint()
        // An edit of a content's JSON, as a person makes it: on the text the store also reads (StoredContent).
        if sql.contains("replace(content") { try HistoryDatabase.expandContents(path: f.path) }
        try sqlite3(f.path, "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; " + sql)
        let result = try HistoryVerifier(HistoryDatabase.open(path: f.path, readOnly: true)).verify()
        #expect(!result.isIntact)
        #expect(result.problems.first.map { "\($0)".hasPrefix(expected) } == true, "\(result.problems)")
    }
}

@Suite("Exports: manifests, signatures, and belonging to a history")
struct ExportVerificationTests {
    func export(_ f: StoreFixture, signed: Bool = false) async throws -> (
        path: String, manifest: ReportManifest, keys: (String, String)
    ) {
        let path = f.directory.appendingPathComponent("changes.UTC.csv").path
        let keys = (
            f.directory.appendingPathComponent("sign.key").path, f.directory.appendingPathComponent("sign.pub").path
        )
        if signed && !FileManager.default.fileExists(atPath: keys.0) {
            _ = try SigningKey.generate(privateKeyPath: keys.0, publicKeyPath: keys.1)
        }
        let manifest = try ReportExport.write(
            store: f.store, options: ReportOptions(view: .changes), to: path, signingKey: signed ? keys.0 : nil)
        return (path, manifest, keys)
    }

    @Test("an untouched signed export verifies against its key and its database")
    func intact() async throws {
        let f = try await ReportFixture.build()
        let e = try await export(f, signed: true)
        let check = try ReportExport.verify(path: e.path, publicKeyPath: e.keys.1, store: f.store)
        #expect(check.problems == [])
        #expect(check.passed.count == 3)
        #expect(e.manifest.rows == 17 && e.manifest.view == .changes && e.manifest.zone == "UTC")
        let onDisk = try JSONDecoder().decode(
            ReportManifest.self, from: Data(contentsOf: URL(fileURLWithPath: ReportManifest.path(for: e.path))))
        #expect(onDisk == e.manifest)
    }

    @Test("one flipped byte in the CSV is detected")
    func flippedCSV() async throws {
        let f = try await ReportFixture.build()
        let e = try await export(f)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: e.path))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: e.path))
        let check = try ReportExport.verify(path: e.path, publicKeyPath: nil, store: nil)
        #expect(check.problems.first?.hasSuffix("the file was changed after export") == true)
    }

    @Test("an edited manifest breaks its signature")
    func editedManifest() async throws {
        let f = try await ReportFixture.build()
        let e = try await export(f, signed: true)
        let manifestURL = URL(fileURLWithPath: ReportManifest.path(for: e.path))
        let text = try String(contentsOf: manifestURL, encoding: .utf8).replacingOccurrences(
            of: "\"rows\" : 17", with: "\"rows\" : 16")
        try Data(text.utf8).write(to: manifestURL)
        let check = try ReportExport.verify(path: e.path, publicKeyPath: e.keys.1, store: nil)
        #expect(check.problems == ["the signature does not match the manifest (the manifest was edited)"])
    }

    @Test("a wrong public key is named as another key")
    func wrongKey() async throws {
        let f = try await ReportFixture.build()
        let e = try await export(f, signed: true)
        let other = (
            f.directory.appendingPathComponent("other.key").path, f.directory.appendingPathComponent("other.pub").path
        )
        _ = try SigningKey.generate(privateKeyPath: other.0, publicKeyPath: other.1)
        let check = try ReportExport.verify(path: e.path, publicKeyPath: other.1, store: nil)
        #expect(check.problems.first?.hasPrefix("signed by another key (SHA256:") == true)
        let unsigned = try await export(f)
        let none = try ReportExport.verify(path: unsigned.path, publicKeyPath: e.keys.1, store: nil)
        #expect(none.problems == ["the manifest is not signed"])
    }

    @Test("an export is refused by a database whose history never had its chain head")
    func otherHistory() async throws {
        let f = try await ReportFixture.build()
        let e = try await export(f)
        let other = try StoreFixture()
        try await other.run(night: 1, try standardGateway())
        let check = try ReportExport.verify(path: e.path, publicKeyPath: nil, store: other.store)
        #expect(
            check.problems.first?.hasSuffix(
                "was never recorded by this database: the export comes from another or an altered history") == true)
    }

    @Test("keys are never overwritten and the private key is private")
    func keyFiles() async throws {
        let f = try StoreFixture()
        let key = f.directory.appendingPathComponent("k").path
        let pub = f.directory.appendingPathComponent("k.pub").path
        _ = try SigningKey.generate(privateKeyPath: key, publicKeyPath: pub)
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let exists = "it already exists, and keys are never overwritten; remove it or choose another path"
        #expect(throws: ReportError.cannotWriteKey(path: key, detail: exists)) {
            _ = try SigningKey.generate(privateKeyPath: key, publicKeyPath: pub)
        }
    }
}
