import Foundation
import Testing

@testable import GatewayAuditStore
import TestSupport

/// ``PGRecord`` reads a row selected as one record straight from its binary form: every field of the two
/// types it knows, NULLs, non-ASCII text, and a clear error for anything else.
@Suite(
    "PostgreSQL records: a row read as one record, field by field",
    .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipped))
struct PGRecordTests {
    /// Reads the records `sql` selects as (int8, text, optional int8, optional text) tuples.
    private func read(_ sql: String, fields: Int = 4) async throws -> [String] {
        let url = try await PostgresTestServer.freshDatabase()
        return try await offPool {
            let session = PostgresSession(location: try PostgresLocation.parse(url))
            var rows: [String] = []
            try session.streamRecords(sql, [], fields: fields) { record in
                let number = try record.int()
                let text = try record.text()
                let optionalNumber = try record.optionalInt()
                let optionalText = try record.optionalText()
                rows.append("\(number)|\(text)|\(optionalNumber.map(String.init) ?? "nil")|\(optionalText ?? "nil")")
            }
            return rows
        }
    }

    @Test("int8 and text fields, NULLs and non-ASCII text come back exactly, in order")
    func fields() async throws {
        let rows = try await read(
            """
            SELECT ROW(n::int8, 'gw-' || n, CASE WHEN n % 2 = 0 THEN -n * 1000000000000 END::int8,
                CASE WHEN n % 3 = 0 THEN 'Zürich "Ost", 東京' END)
            FROM generate_series(1, 3) AS n ORDER BY n
            """)
        #expect(rows == ["1|gw-1|nil|nil", "2|gw-2|-2000000000000|nil", "3|gw-3|nil|Zürich \"Ost\", 東京"])
    }

    @Test("a field of another type is an error naming it, not a guess")
    func wrongType() async throws {
        await expectMessage(containing: "result.record holds \"field 1 has type OID 23, not 20\"") {
            _ = try await read("SELECT ROW(1::int4, 'a'::text, NULL::int8, NULL::text)")
        }
    }

    @Test("a record of the wrong width, or a row that is no record, is an error")
    func wrongShape() async throws {
        await expectMessage(containing: "not 4 fields") { _ = try await read("SELECT ROW(1::int8, 'a'::text)") }
        await expectMessage(containing: "not a binary record") { _ = try await read("SELECT 1::int8") }
        await expectMessage(containing: "field 1 is NULL") {
            _ = try await read("SELECT ROW(NULL::int8, 'a'::text, NULL::int8, NULL::text)")
        }
    }

    private func expectMessage(containing text: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("no error; expected one containing \(text)")
        } catch {
            #expect("\(error)".contains(text), "\(error)")
        }
    }
}
