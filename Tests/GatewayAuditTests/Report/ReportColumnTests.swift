import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// The column lists are the export contract: CSV header, CSV cells, HTML table and highlighting all
/// derive from them.
@Suite("Report columns: one typed list per view")
struct ReportColumnTests {
    /// The column names of a view's table in reports/README.md (the documented contract).
    func documentedColumns(_ view: ReportView, heading title: String? = nil) throws -> [String] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("reports/README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let heading = try #require(text.range(of: "## \(title ?? view.rawValue):"))
        var names: [String] = []
        for line in text[heading.upperBound...].split(separator: "\n").dropFirst() {
            if line.hasPrefix("## ") { break }
            guard line.hasPrefix("| `") else { continue }
            let cell = line.dropFirst(3)
            names.append(String(cell.prefix { $0 != "`" }))
        }
        return names
    }

    @Test("every view's columns are the ones reports/README.md documents, in order", arguments: ReportView.allCases)
    func contract(view: ReportView) throws {
        #expect(view.columns == (try documentedColumns(view)))
    }

    @Test(
        "each kind's history columns are the ones reports/README.md documents; customer gateways keep today's",
        arguments: ResourceKind.allCases)
    func kindContract(kind: ResourceKind) throws {
        let heading = kind == .customerGateway ? "history" : "history --kind \(kind.rawValue)"
        #expect(ReportView.history.columns(for: kind) == (try documentedColumns(.history, heading: heading)))
        #expect(ReportView.history.columns(for: .customerGateway) == ReportView.history.columns)
    }

    @Test("a row renders one cell per column")
    func cellCount() async throws {
        let f = try await ReportFixture.build()
        let cells = ReportCells(zone: .utc)
        var history = ReportRowRenderer<HistoryRow>(cells: cells)
        var counts: [Int] = []
        try HistoryRow.forEach(in: f.store, ReportFilter()) { counts.append(history.cells(of: $0).count) }
        #expect(!counts.isEmpty && counts.allSatisfy { $0 == HistoryRow.columns.count })
        var changes = ReportRowRenderer<ChangeRow>(cells: cells)
        counts = []
        try ChangeRow.forEach(in: f.store, ReportFilter()) { counts.append(changes.cells(of: $0).count) }
        #expect(!counts.isEmpty && counts.allSatisfy { $0 == ChangeRow.columns.count })
        var timestamps = ReportRowRenderer<TimestampRow>(cells: cells)
        counts = []
        try TimestampRow.forEach(in: f.store, ReportFilter()) { counts.append(timestamps.cells(of: $0).count) }
        #expect(!counts.isEmpty && counts.allSatisfy { $0 == TimestampRow.columns.count })
    }

    @Test("the history highlights content columns that changed between present snapshots, by column")
    func historyHighlight() async throws {
        let f = try await ReportFixture.build()
        var rows: [HistoryRow] = []
        try HistoryRow.forEach(in: f.store, ReportFilter(gatewayIDs: ["gw-a"])) { rows.append($0) }
        try #require(rows.count == 2)
        var renderer = ReportRowRenderer<HistoryRow>(cells: ReportCells(zone: .utc))
        let first = renderer.cells(of: rows[0])
        let second = renderer.cells(of: rows[1])
        let highlighted = HistoryRow.columns.enumerated().filter { index, column in
            column.highlight.isHighlighted(second[index], of: rows[1], previous: (rows[0], first[index]))
        }.map(\.element.name)
        #expect(highlighted == ["name", "ca_serial_number", "ca_expire_time", "created_at", "updated_at"])
    }
}
