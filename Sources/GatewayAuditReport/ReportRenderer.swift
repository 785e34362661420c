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
        switch options.format {
        case .csv: return try renderCSV(to: &output)
        case .html:
            var html = HTMLRenderer(store: store, options: options)
            return try html.render(to: &output)
        }
    }

    private func renderCSV<Output: TextOutputStream>(to output: inout Output) throws -> Int {
        var writer = CSVWriter(output: output)
        defer { output = writer.output }
        writer.writeRow(options.view.columns)
        let cells = ReportCells(zone: options.zone)
        var count = 0
        switch options.view {
        case .history:
            try store.forEachHistoryRow(options.filter) { row in
                writer.writeRow(cells.history(row))
                count += 1
            }
        case .changes:
            var cache = ReportCells.SnapshotTimes()
            try store.forEachChangeRow(options.filter) { row in
                writer.writeRow(cells.change(row, cache: &cache))
                count += 1
            }
        case .timestamps:
            try store.forEachTimestampRow(options.filter) { row in
                writer.writeRow(cells.timestamp(row))
                count += 1
            }
        }
        return count
    }
}
