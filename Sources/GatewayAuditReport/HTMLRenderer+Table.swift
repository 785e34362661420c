import GatewayAuditCore
import GatewayAuditStore

extension HTMLRenderer {
    /// The view's table (without the resource id column unless `withResourceID`): each row's cells in
    /// column order, highlighted as each column says, with the changed part of a highlighted value marked.
    func tableRows<Row: ReportRow>(_ rows: [Row], withResourceID: Bool) -> [HTMLContext.Row] {
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
            let tableCells = columns.indices.filter { withResourceID || !columns[$0].isResourceID }.map { index in
                HTMLRenderer.cell(values[index], highlighted: highlighted[index], segments: segments[index])
            }
            return HTMLContext.Row(
                hasCls: row.isGone, cls: row.isGone ? "gone" : "", anchor: "", hasAnchor: false, cells: tableCells)
        }
    }

    /// `columns` and `rows` without the columns that are empty in every row (absent for this gateway, or
    /// for every quiet one): less to scroll through on a phone, nothing lost (CSV and JSON keep them).
    static func withoutEmptyColumns(_ columns: [String], _ rows: [HTMLContext.Row]) -> (
        columns: [String], rows: [HTMLContext.Row]
    ) {
        guard !rows.isEmpty else { return (columns, rows) }
        let keep = columns.indices.filter { index in rows.contains { !$0.cells[index].text.isEmpty } }
        guard keep.count < columns.count else { return (columns, rows) }
        return keeping(keep, columns, rows)
    }

    /// Only the columns at `keep`, in the header and in every row.
    private static func keeping(_ keep: [Int], _ columns: [String], _ rows: [HTMLContext.Row]) -> (
        columns: [String], rows: [HTMLContext.Row]
    ) {
        (
            keep.map { columns[$0] },
            rows.map { row in
                var row = row
                row.cells = keep.map { row.cells[$0] }
                return row
            }
        )
    }

    /// `columns` and `rows` without the columns that hold one plain value in every row, and those values:
    /// 600 quiet gateways first seen on the same night, in the same project, read better (and weigh less)
    /// with that said once above the table than repeated 600 times. Nothing is factored out of fewer than
    /// two rows, and every row keeps at least one column.
    static func factoringConstantColumns(_ columns: [String], _ rows: [HTMLContext.Row]) -> (
        columns: [String], rows: [HTMLContext.Row], common: [HTMLContext.Common]
    ) {
        guard rows.count > 1, let first = rows.first else { return (columns, rows, []) }
        let constant = Set(
            columns.indices.filter { index in
                let cell = first.cells[index]
                return !cell.hasCls && cell.segs.isEmpty
                    && rows.allSatisfy { !$0.cells[index].hasCls && $0.cells[index].text == cell.text }
            })
        guard !constant.isEmpty, constant.count < columns.count else { return (columns, rows, []) }
        let kept = keeping(columns.indices.filter { !constant.contains($0) }, columns, rows)
        return (
            kept.columns, kept.rows,
            constant.sorted().map { HTMLContext.Common(name: columns[$0], value: first.cells[$0].text) }
        )
    }

    /// A cell: ids, times, hashes and other single tokens never wrap; a long value with spaces or list
    /// separators wraps, at the spaces and after each `;` or `,`, never inside a word.
    static func cell(_ text: String, highlighted: Bool, segments: [HTMLContext.Segment]?) -> HTMLContext.Cell {
        if segments == nil, let short = abbreviatedHash(text) {
            return HTMLContext.Cell(hasCls: highlighted, cls: highlighted ? "ch" : "", text: short, segs: [])
        }
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

    /// A SHA-256 in hex shortened to its first 12 digits and `…`, as git shortens commit ids: enough to
    /// compare by eye; CSV and JSON keep all 64.
    static func abbreviatedHash(_ text: String) -> String? {
        guard text.utf8.count == 64, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return String(text.prefix(12)) + "…"
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
