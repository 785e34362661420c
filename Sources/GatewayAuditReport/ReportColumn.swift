import GatewayAuditCore
import GatewayAuditStore

/// One column of a report view: its name in the export contract, how a row fills it, and when the HTML
/// report highlights it. A view's columns form one ordered list (``ReportRow/columns``) from which the
/// CSV header, the CSV cells, the HTML table and its highlighting all derive, so reordering or adding a
/// column cannot leave one of them behind.
public struct ReportColumn<Row: ReportRow>: Sendable {
    /// The column name (reports/README.md).
    public let name: String
    /// True when the cell depends only on the row's snapshot: consecutive rows of one snapshot (a change
    /// of several fields) share it, and it is rendered once for all of them.
    public let sharedBySnapshot: Bool
    /// When the HTML report highlights the cell.
    public let highlight: ReportHighlight<Row>
    /// True for the columns naming the resource (`gateway_id`) and its scope (`account`, `region`,
    /// `project_id`): the HTML shows them once, in the section heading and the scope heading above it,
    /// instead of on every row; CSV and JSON keep them.
    public let isResourceID: Bool
    /// The column holding this one's previous value (`new_value` → `old_value`): when highlighted, the
    /// HTML marks the changed part of both cells.
    public let diffAgainst: String?
    /// The cell of a row, every time rendered by the `ReportCells` given (``ReportRowRenderer`` calls it).
    let render: @Sendable (Row, ReportCells) -> String

    /// Creates a column named `name` whose cell is `cell(row, cells)`.
    public init(
        _ name: String, sharedBySnapshot: Bool = false, highlight: ReportHighlight<Row> = .never,
        isResourceID: Bool = false, diffAgainst: String? = nil, cell: @escaping @Sendable (Row, ReportCells) -> String
    ) {
        self.name = name
        self.sharedBySnapshot = sharedBySnapshot
        self.highlight = highlight
        self.isResourceID = isResourceID
        self.diffAgainst = diffAgainst
        render = cell
    }
}
