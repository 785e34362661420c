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
                // Names and values come from the cloud: a control character or an escape sequence in one must
                // neither break the table's lines nor drive the terminal (CSV and JSON escape them instead).
                let cells = rows.map { $0.map(TerminalText.line) }
                out.write(
                    TextTable(header: header.map { $0.uppercased() }, rows: cells).lines.joined(separator: "\n") + "\n")
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

    /// The text for a listing whose options left out all of the `recorded` rows of the history:
    /// `No runs match --project p1 (12 recorded).`
    static func noMatch(_ noun: String, options: [String], recorded: Int) -> String {
        "No \(noun) match \(TerminalText.line(options.joined(separator: " "))) (\(recorded) recorded)."
    }

    /// The scope options `filter` was made of, as they were given: `["--region", "eu-de"]`.
    static func options(_ filter: ScopeFilter) -> [String] {
        var options: [String] = []
        if let account = filter.account { options += ["--account", account] }
        if let region = filter.region { options += ["--region", region] }
        if let project = filter.projectID { options += ["--project", project] }
        return options
    }
}
