import GatewayAudit

/// Prints a list as an aligned table, RFC 4180 CSV, or NDJSON (one object per row).
enum ListPrinter {
    /// Prints `rows` under `header` on standard output; `empty` is the text shown for no rows.
    static func print(header: [String], rows: [[String]], format: ListFormat, empty: String) {
        let out = StandardOutput()
        switch format {
        case .text:
            if rows.isEmpty {
                out.write(empty + "\n")
            } else {
                out.write(
                    TextTable(header: header.map { $0.uppercased() }, rows: rows).lines.joined(separator: "\n") + "\n")
            }
        case .csv:
            var writer = CSVWriter(output: out)
            writer.writeRow(header)
            for row in rows { writer.writeRow(row) }
            writer.flush()
        case .json:
            // NDJSON like `report --format json`: one object per row, keys the column names in order.
            var writer = JSONLinesWriter(output: out, keys: header)
            for row in rows { writer.writeRow(row) }
        }
        out.flush()
    }
}
