import GatewayAuditCore
import GatewayAuditStore

/// Writes RFC 4180 CSV (CRLF line ends, quoting as needed, doubled quotes) that is safe to open in a
/// spreadsheet: a cell that a spreadsheet would treat as a formula is neutralised.
///
/// Neutralisation rule (documented in reports/README.md, reversible): a cell that begins with `=`,
/// `+`, `-`, `@`, tab, carriage return, NUL or `'` gets one `'` put in front. A reader restores the
/// original value by removing one leading `'` from any cell that starts with `'`.
public struct CSVWriter<Output: TextOutputStream> {
    /// Where rows go.
    public var output: Output

    /// Creates a writer appending to `output`.
    public init(output: Output) {
        self.output = output
    }

    /// Writes one record.
    public mutating func writeRow(_ cells: [String]) {
        // One write per record: the output is a class whose every write is checked for exclusive access.
        var line = ""
        line.reserveCapacity(cells.reduce(2) { $0 + $1.utf8.count + 3 })
        for (index, cell) in cells.enumerated() {
            if index > 0 { line += "," }
            line += CSVWriter.field(cell)
        }
        line += "\r\n"
        output.write(line)
    }

    /// One cell, neutralised and quoted as needed.
    public static func field(_ value: String) -> String {
        let safe = neutralise(value)
        let needsQuotes = safe.utf8.contains(where: CSVWriter.isSpecial)
        guard needsQuotes else { return safe }
        // Doubled per Unicode scalar: a quote followed by a combining mark is one Character, which a
        // Character-level replace would skip, leaving the quote unescaped (and the row broken open).
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in safe.unicodeScalars {
            if scalar == "\"" { quoted.append("\"") }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x2C, 0x22, 0x0A, 0x0D: return true
        default: return false
        }
    }

    /// Prefixes `'` to a value a spreadsheet could execute (see the type's rule).
    public static func neutralise(_ value: String) -> String {
        guard let first = value.unicodeScalars.first else { return value }
        switch first {
        case "=", "+", "-", "@", "\t", "\r", "\0", "'": return "'" + value
        default: return value
        }
    }

    /// Undoes ``neutralise(_:)``: what a reader applies to each parsed cell.
    public static func restore(_ cell: String) -> String {
        cell.unicodeScalars.first == "'" ? String(cell.unicodeScalars.dropFirst()) : cell
    }
}
