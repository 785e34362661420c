import Foundation
import GatewayAudit
import Testing
import TestSupport

@Suite("Snapshot contents in the SQLite file: compressed, and readable without gateway-audit")
struct StoredContentTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/contents.py")

    /// `python3 deploy/contents.py DB`: exit status, stdout, stderr.
    static func python(_ db: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try Spawn.run("/usr/bin/env", ["python3", script.path, db])
        return (run.status, String(decoding: run.stdout, as: UTF8.self), String(decoding: run.stderr, as: UTF8.self))
    }

    @Test(
        "deploy/contents.py inflates every kind's contents with the file's own dictionaries, exactly as the store reads them"
    )
    func pythonReader() async throws {
        try await EndToEnd.with { e in
            #expect(try await e.collect(["--quiet"]).status == 0)
            for night in [3, 8, 12] {
                try await e.cloud.advance(to: night)
                #expect(try await e.collect(["--quiet"]).status == 0)
            }
            #expect(
                try sqlite3(e.db, "SELECT kind, format, length(dictionary) > 200 FROM content_dictionary ORDER BY kind")
                    == "customer-gateway|1|1\nvpn-connection|1|1\nvpn-gateway|1|1")
            #expect(try sqlite3(e.db, "SELECT DISTINCT typeof(content) FROM snapshot ORDER BY 1") == "blob\nnull")
            var expected: [String] = []
            let store = try HistoryDatabase.open(path: e.db, readOnly: true)
            try HistoryQueries(store).forEachHistoryRow(ReportFilter()) { row in
                expected.append("\(row.gatewayID)\t\(row.seq)\t\(row.resource?.canonicalJSON ?? "null")")
            }
            // The standard scenario's 23 resources of three kinds, changed, gone and re-created over 12 nights.
            #expect(Set(expected.map { $0.split(separator: "\t")[0] }).count >= 23)
            #expect(expected.count > 30 && expected.contains { $0.hasSuffix("\tnull") })
            let read = try Self.python(e.db)
            #expect(read.status == 0 && read.stderr.isEmpty, "\(read.stderr)")
            #expect(read.stdout.split(separator: "\n").map(String.init).sorted() == expected.sorted())

            // A content cut short reads as an error, not as the JSON it starts with.
            try sqlite3(
                e.db,
                "UPDATE snapshot SET content = substr(content, 1, length(content) - 2) WHERE id = (SELECT MIN(id) FROM snapshot)"
            )
            let cut = try Self.python(e.db)
            #expect(cut.status == 1)
            #expect(
                cut.stderr.hasPrefix("contents.py: ")
                    && cut.stderr.hasSuffix(": a content that does not inflate whole (run gateway-audit verify)\n"),
                "\(cut.stderr)")
        }
    }
}
