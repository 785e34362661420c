import GatewayAuditCore
import GatewayAuditStore

extension HTMLRenderer {
    /// The view's table without the resource id column: each row's cells in column order, highlighted as
    /// each column says, with the changed part of a highlighted value marked.
    func tableRows<Row: ReportRow>(_ rows: [Row]) -> [HTMLContext.Row] {
        var renderer = ReportRowRenderer<Row>(cells: cells)
        let columns = Row.columns
        let partner = columns.map { column in
            column.diffAgainst.flatMap { name in columns.firstIndex { $0.name == name } }
        }
        var previous: (row: Row, cells: [String])?
        return rows.map { row in
            let values = renderer.cells(of: row).map(HTMLRenderer.printable)
            var highlighted = [Bool](repeating: false, count: columns.count)
            var segments = [[HTMLContext.Segment]?](repeating: nil, count: columns.count)
            for (index, column) in columns.enumerated() {
                let before = previous.map { (row: $0.row, cell: $0.cells[index]) }
                guard column.highlight.isHighlighted(values[index], of: row, previous: before) else { continue }
                highlighted[index] = true
                let old = partner[index].map { values[$0] } ?? before?.cell
                guard let old, !old.isEmpty, !values[index].isEmpty else { continue }
                let diff = ValueDiff(old: old, new: values[index])
                segments[index] = diff.new.map { HTMLRenderer.segment($0.text, inserted: $0.changed) }
                if let other = partner[index] {
                    segments[other] = diff.old.map { HTMLRenderer.segment($0.text, deleted: $0.changed) }
                }
            }
            previous = (row, values)
            let tableCells = columns.indices.filter { !columns[$0].isResourceID }.map { index in
                HTMLRenderer.cell(values[index], highlighted: highlighted[index], segments: segments[index])
            }
            return HTMLContext.Row(hasCls: row.isGone, cls: row.isGone ? "gone" : "", cells: tableCells)
        }
    }

    /// A cell: ids, times, hashes and other single tokens never wrap; a long value with spaces or list
    /// separators wraps, at the spaces and after each `;` or `,`, never inside a word.
    static func cell(_ text: String, highlighted: Bool, segments: [HTMLContext.Segment]?) -> HTMLContext.Cell {
        let wraps = text.count > 40 && text.contains { $0 == " " || $0 == ";" || $0 == "," || $0 == "\n" }
        var classes: [String] = []
        if highlighted { classes.append("ch") }
        if wraps { classes.append("w") }
        var segs = segments ?? []
        if segments == nil && wraps && text.contains(where: { $0 == ";" || $0 == "," }) {
            segs = breakPoints(text)
        }
        let cls = classes.joined(separator: " ")
        return HTMLContext.Cell(hasCls: !cls.isEmpty, cls: cls, text: text, segs: segs)
    }

    /// `text` cut after each `;` and `,` into segments that allow a line break there.
    static func breakPoints(_ text: String) -> [HTMLContext.Segment] {
        var segments: [HTMLContext.Segment] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == ";" || character == "," {
                segments.append(segment(current, wrap: true))
                current = ""
            }
        }
        if !current.isEmpty { segments.append(segment(current)) }
        return segments
    }
}
