import GatewayAuditCore
import GatewayAuditStore

/// A plain-text table with columns padded to their widest cell, for terminals.
public struct TextTable: Sendable {
    /// Column headings.
    public let header: [String]
    /// Rows of cells.
    public let rows: [[String]]

    /// Creates a table.
    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The rendered lines, heading first, no trailing blanks.
    public var lines: [String] {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
    }
}
