import GatewayAuditCore
import GatewayAuditStore

/// When the HTML report highlights a cell of a column.
public enum ReportHighlight<Row: ReportRow>: Sendable {
    /// Never.
    case never
    /// When the cell differs from the same column of the previous row and `comparable(previous, row)`
    /// holds (for history: both rows are present states of the gateway).
    case whenChanged(comparable: @Sendable (_ previous: Row, _ row: Row) -> Bool)
    /// When `predicate(row, cell)` holds.
    case when(@Sendable (_ row: Row, _ cell: String) -> Bool)

    /// Whether `cell` of `row` is highlighted, given the previous row of the table and its cell in this column.
    func isHighlighted(_ cell: String, of row: Row, previous: (row: Row, cell: String)?) -> Bool {
        switch self {
        case .never:
            return false
        case .whenChanged(let comparable):
            guard let previous, comparable(previous.row, row) else { return false }
            return previous.cell != cell
        case .when(let predicate):
            return predicate(row, cell)
        }
    }
}
