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
        if options.format == .html {
            var html = HTMLRenderer(store: store, options: options)
            return try html.render(to: &output)
        }
        switch options.view {
        case .history:
            switch options.historyKind {
            case .customerGateway: return try renderRows(HistoryRow.self, to: &output)
            case .vpnGateway: return try renderRows(VPNGatewayHistoryRow.self, to: &output)
            case .vpnConnection: return try renderRows(ConnectionHistoryRow.self, to: &output)
            }
        case .changes: return try renderRows(ChangeRow.self, to: &output)
        case .timestamps: return try renderRows(TimestampRow.self, to: &output)
        case .status: return try renderRows(StatusRow.self, to: &output)
        }
    }

    /// The view's rows as CSV or NDJSON.
    private func renderRows<Row: ReportRow, Output: TextOutputStream>(_ row: Row.Type, to output: inout Output)
        throws -> Int
    {
        options.format == .json ? try renderJSON(row, to: &output) : try renderCSV(row, to: &output)
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
