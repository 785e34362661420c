import GatewayAuditCore
import GatewayAuditStore

/// Writes NDJSON (one JSON object per line, `\n` line ends, UTF-8): the JSON twin of a CSV report.
/// Keys are the view's column names in contract order and values are the cells exactly as the CSV
/// would hold them before formula neutralisation (JSON needs none), so a column appended to a view's
/// ``ReportRow/columns`` appears in both formats at once.
public struct JSONLinesWriter<Output: TextOutputStream> {
    /// Where lines go.
    public var output: Output
    /// Each key quoted as JSON, in UTF-8.
    private let keys: [[UInt8]]

    /// Creates a writer whose objects have `keys`, in that order.
    public init(output: Output, keys: [String]) {
        self.output = output
        self.keys = keys.map { JSONValue.string($0).canonicalBytes }
    }

    /// Writes one object: `cells[i]` under the i-th key. The line is built as UTF-8 bytes, the way
    /// canonical JSON is written, and handed over as one string.
    public mutating func writeRow(_ cells: [String]) {
        var line: [UInt8] = [UInt8(ascii: "{")]
        for (index, cell) in cells.enumerated() where index < keys.count {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            line += keys[index]
            line.append(UInt8(ascii: ":"))
            JSONValue.string(cell).writeCanonical(to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        output.write(String(decoding: line, as: UTF8.self))
    }

    /// One object as a line, for lists that are not report views (`gateways`, `runs`).
    public static func line(keys: [String], cells: [String]) -> String {
        var writer = JSONLinesWriter<String>(output: "", keys: keys)
        writer.writeRow(cells)
        return writer.output
    }
}
