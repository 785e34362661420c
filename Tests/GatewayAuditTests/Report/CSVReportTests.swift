import CSV
import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("CSV reports: RFC 4180, spreadsheet-safe, golden")
struct CSVReportTests {
    func parse(_ text: String) throws -> [[String]] {
        let reader = try CSVReader(string: text)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    @Test("golden files for all three views", arguments: ReportView.allCases)
    func golden(view: ReportView) async throws {
        let f = try await ReportFixture.build()
        let csv = try ReportFixture.render(f.store, view, .csv)
        try ReportFixture.expectGolden(csv, "\(view.rawValue).UTC.csv")
        #expect(csv.hasSuffix("\r\n"))
        #expect(!csv.hasPrefix("\u{FEFF}"))
        #expect(try parse(csv).first == view.columns)
    }

    @Test("hostile names round-trip through a real CSV reader after undoing the neutralisation")
    func roundTrip() async throws {
        let f = try await ReportFixture.build()
        let rows = try parse(try ReportFixture.render(f.store, .history, .csv))
        let nameColumn = try #require(rows.first?.firstIndex(of: "name"))
        let names = Set(rows.dropFirst().map { CSVWriter<String>.restore($0[nameColumn]) })
        for name in ReportFixture.hostileNames { #expect(names.contains(name), "lost \(name)") }
        let tagColumn = try #require(rows.first?.firstIndex(of: "tags"))
        #expect(rows.dropFirst().contains { $0[tagColumn] == "env=prod;team==cmd|' /C calc'!A0" })
    }

    @Test("no cell a spreadsheet would execute")
    func noFormulas() async throws {
        let f = try await ReportFixture.build()
        for view in ReportView.allCases {
            for row in try parse(try ReportFixture.render(f.store, view, .csv)) {
                for cell in row {
                    let first = cell.unicodeScalars.first
                    #expect(!["=", "+", "-", "@", "\t", "\r", "\0"].contains(first), "\(view): \(cell)")
                }
            }
        }
    }

    @Test("the writer's quoting and neutralisation rules")
    func writerRules() {
        #expect(CSVWriter<String>.field("plain") == "plain")
        #expect(CSVWriter<String>.field("a,b") == "\"a,b\"")
        #expect(CSVWriter<String>.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter<String>.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter<String>.field("=1+2") == "'=1+2")
        #expect(CSVWriter<String>.field("-03:00") == "'-03:00")
        #expect(CSVWriter<String>.field("'already") == "''already")
        #expect(CSVWriter<String>.field("=\"x\",y") == "\"'=\"\"x\"\",y\"")
        for value in ["=x", "'=x", "''", "-", "plain", ""] {
            #expect(CSVWriter<String>.restore(CSVWriter<String>.neutralise(value)) == value)
        }
        var writer = CSVWriter(output: "")
        writer.writeRow(["a", "b,c"])
        writer.writeRow(["", "é"])
        #expect(writer.output == "a,\"b,c\"\r\n,é\r\n")
    }

    @Test("UTC, Berlin and Kolkata renderings denote the same instants")
    func sameInstantsInEveryZone() async throws {
        let f = try await ReportFixture.build()
        func instants(_ zone: String) throws -> [[Instant?]] {
            let rows = try parse(try ReportFixture.render(f.store, .changes, .csv, zone: try Zone(identifier: zone)))
            return rows.dropFirst().map { row in
                [row[5], row[6], row[7]].map { try? Timestamp(parsing: CSVWriter<String>.restore($0)).instant }
            }
        }
        let utc = try instants("UTC")
        #expect(utc.flatMap { $0 }.compactMap { $0 }.count > 10)
        #expect(try instants("Europe/Berlin") == utc)
        #expect(try instants("Asia/Kolkata") == utc)
        let berlin = try parse(
            try ReportFixture.render(f.store, .changes, .csv, zone: try Zone(identifier: "Europe/Berlin")))
        #expect(berlin[1][6] == "2025-03-01T03:01:00+01:00")
    }

    @Test("the timestamps view keeps raw text, UTC with Z, local with offset, the offset sent and anomalies")
    func timestampColumns() async throws {
        let f = try await ReportFixture.build()
        let rows = try parse(
            try ReportFixture.render(f.store, .timestamps, .csv, zone: try Zone(identifier: "Asia/Kolkata")))
        #expect(
            rows.contains([
                "gw-a", "created_at", "2024-06-25T13:19:37.335Z", "2024-06-25T13:19:37.335Z",
                "2024-06-25T18:49:37.335+05:30", "Z", "offset-relabelled", "customer-gateway", "", "", "p",
            ]))
        #expect(
            rows.contains([
                "gw-legacy", "created_at", "2024-05-21T09:03:41.000000", "2024-05-21T09:03:41.000000Z",
                "2024-05-21T14:33:41.000000+05:30", "", "no-offset", "customer-gateway", "", "", "p",
            ]))
        #expect(
            rows.contains([
                "gw-a", "updated_at", "2025-03-02T23:00:00.123456789Z", "2025-03-02T23:00:00.123456789Z",
                "2025-03-03T04:30:00.123456789+05:30", "Z", "", "customer-gateway", "", "", "p",
            ]))
    }

    @Test("an observation in Berlin's repeated October hour carries the right offset")
    func berlinFold() async throws {
        let f = try StoreFixture()
        let g = try standardGateway()
        for (index, at) in [Instant(seconds: 1_761_438_600), Instant(seconds: 1_761_442_200)].enumerated() {
            let run = try await f.writer.beginRun(RunInfo(endpoint: "e", projectID: "p", scope: .all), at: at)
            let current = index == 0 ? g : try standardGateway(name: "renamed", updated: "2025-10-26T01:20:00Z")
            _ = try await f.recorder.record([.present(current, at: at)], in: run)
            try await f.writer.finishRun(run, status: .complete, at: at)
        }
        let rows = try parse(
            try ReportFixture.render(f.store, .changes, .csv, zone: try Zone(identifier: "Europe/Berlin")))
        #expect(rows.last?[5] == "2025-10-26T02:30:00+02:00")
        #expect(rows.last?[6] == "2025-10-26T02:30:00+01:00")
        #expect(rows.last?[7] == "2025-10-26T02:20:00+01:00")
    }

    @Test("filters by id and by dates in the chosen zone")
    func filters() async throws {
        let f = try await ReportFixture.build()
        let berlin = try Zone(identifier: "Europe/Berlin")
        let since = try ReportTime.parse("2025-03-03", in: berlin, endOfDay: false)
        let until = try ReportTime.parse("2025-03-03", in: berlin, endOfDay: true)
        #expect(since.iso8601(in: berlin) == "2025-03-03T00:00:00+01:00")
        #expect(until.iso8601(in: berlin) == "2025-03-03T23:59:59.999999999+01:00")
        let rows = try parse(
            try ReportFixture.render(
                f.store, .changes, .csv, filter: ReportFilter(gatewayIDs: ["gw-a"], since: since, until: until)))
        #expect(
            rows.dropFirst().map { "\($0[1]) \($0[2])" } == [
                "modified ca_certificate.expire_time", "modified ca_certificate.serial_number", "modified name",
            ])
        #expect(throws: ReportError.invalidTime("yesterday")) {
            try ReportTime.parse("yesterday", in: .utc, endOfDay: false)
        }
    }
}
