import GatewayAuditCore
import GatewayAuditStore

/// Renders one view of the history in one format, streaming from the store to an output stream.
public struct ReportRenderer: Sendable {
    /// The history.
    public let store: any HistoryReading
    /// What to render.
    public let options: ReportOptions

    /// Creates a renderer.
    public init(store: any HistoryReading, options: ReportOptions) {
        self.store = store
        self.options = options
    }

    /// Writes the report to `output`; returns the number of data rows written.
    /// - Throws: ``StoreError`` when the database cannot be read.
    @discardableResult
    public func render<Output: TextOutputStream>(to output: inout Output) throws -> Int {
        switch (options.format, options.view) {
        case (.csv, .history):
            switch options.historyKind {
            case .customerGateway: return try renderCSV(HistoryRow.self, to: &output)
            case .vpnGateway: return try renderCSV(VPNGatewayHistoryRow.self, to: &output)
            case .vpnConnection: return try renderCSV(ConnectionHistoryRow.self, to: &output)
            }
        case (.csv, .changes): return try renderCSV(ChangeRow.self, to: &output)
        case (.csv, .timestamps): return try renderCSV(TimestampRow.self, to: &output)
        case (.csv, .status): return try renderCSV(StatusRow.self, to: &output)
        case (.json, .history):
            switch options.historyKind {
            case .customerGateway: return try renderJSON(HistoryRow.self, to: &output)
            case .vpnGateway: return try renderJSON(VPNGatewayHistoryRow.self, to: &output)
            case .vpnConnection: return try renderJSON(ConnectionHistoryRow.self, to: &output)
            }
        case (.json, .changes): return try renderJSON(ChangeRow.self, to: &output)
        case (.json, .timestamps): return try renderJSON(TimestampRow.self, to: &output)
        case (.json, .status): return try renderJSON(StatusRow.self, to: &output)
        case (.html, _):
            var html = HTMLRenderer(store: store, options: options)
            return try html.render(to: &output)
        }
    }

    private func renderCSV<Row: ReportRow, Output: TextOutputStream>(_: Row.Type, to output: inout Output) throws -> Int
    {
        var writer = CSVWriter(output: output)
        defer { output = writer.output }
        writer.writeRow(Row.columns.map(\.name))
        var rows = ReportRowRenderer<Row>(cells: ReportCells(zone: options.zone))
        var count = 0
        try Row.forEach(in: store, options.filter) { row in
            writer.writeRow(rows.cells(of: row))
            count += 1
        }
        return count
    }

    private func renderJSON<Row: ReportRow, Output: TextOutputStream>(_: Row.Type, to output: inout Output) throws
        -> Int
    {
        var writer = JSONLinesWriter(output: output, keys: Row.columns.map(\.name))
        defer { output = writer.output }
        var rows = ReportRowRenderer<Row>(cells: ReportCells(zone: options.zone))
        var count = 0
        try Row.forEach(in: store, options.filter) { row in
            writer.writeRow(rows.cells(of: row))
            count += 1
        }
        return count
    }
}
