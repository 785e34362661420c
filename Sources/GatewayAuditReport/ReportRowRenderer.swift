import GatewayAuditCore
import GatewayAuditStore

/// Turns rows of one view into their cells in column order. Cells of ``ReportColumn/sharedBySnapshot``
/// columns are rendered once for consecutive rows of the same snapshot, which keeps big exports fast.
public struct ReportRowRenderer<Row: ReportRow> {
    /// The columns, in order.
    public let columns: [ReportColumn<Row>]
    /// How times are rendered.
    public let cells: ReportCells
    private var previous: (gatewayID: GatewayID, seq: Int64, cells: [String])?

    /// Creates a renderer for `columns` rendering times with `cells`.
    public init(columns: [ReportColumn<Row>] = Row.columns, cells: ReportCells) {
        self.columns = columns
        self.cells = cells
    }

    /// The cells of `row`, in column order.
    public mutating func cells(of row: Row) -> [String] {
        let shared = previous.flatMap { $0.gatewayID == row.gatewayID && $0.seq == row.seq ? $0.cells : nil }
        var values: [String] = []
        values.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() {
            if let shared, column.sharedBySnapshot {
                values.append(shared[index])
            } else {
                values.append(column.cell(row, cells))
            }
        }
        previous = (row.gatewayID, row.seq, values)
        return values
    }
}
