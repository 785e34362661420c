import Foundation
import GatewayAudit

/// Prints a list as an aligned table, RFC 4180 CSV, or a JSON array of objects.
enum ListPrinter {
    /// Prints `rows` under `header` on standard output; `empty` is the text shown for no rows.
    /// - Throws: ``ReportError/encodingFailed(what:detail:)`` (JSON only); nothing is printed then.
    static func print(header: [String], rows: [[String]], format: ListFormat, empty: String) throws {
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
        case .json:
            let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
            let data: Data
            do {
                data = try JSONEncoder.pretty().encode(objects)
            } catch {
                throw ReportError.encodingFailed(what: "the list", detail: "\(error)")
            }
            out.write(String(decoding: data, as: UTF8.self) + "\n")
        }
        out.flush()
    }
}
