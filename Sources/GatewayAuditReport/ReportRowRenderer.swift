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
    /// `columns`' render functions and ``ReportColumn/sharedBySnapshot`` flags, taken apart once: the
    /// loop over a million rows then copies no column.
    private let renders: [@Sendable (Row, ReportCells) -> String]
    private let shared: [Bool]

    /// Creates a renderer for `columns` rendering times with `cells`.
    public init(columns: [ReportColumn<Row>] = Row.columns, cells: ReportCells) {
        self.columns = columns
        self.cells = cells
        self.renders = columns.map(\.render)
        self.shared = columns.map(\.sharedBySnapshot)
    }

    /// The cells of `row`, in column order.
    public mutating func cells(of row: Row) -> [String] {
        let previousCells = previous.flatMap { $0.gatewayID == row.gatewayID && $0.seq == row.seq ? $0.cells : nil }
        var values: [String] = []
        values.reserveCapacity(renders.count)
        for index in renders.indices {
            if let previousCells, shared[index] {
                values.append(previousCells[index])
            } else {
                values.append(renders[index](row, cells))
            }
        }
        previous = (row.gatewayID, row.seq, values)
        return values
    }
}
