extension HTMLContext {
    /// Table rows exactly as the row template below would render them through the template engine, written
    /// directly: the rows are most of a page (60,000 at 1,000 gateways × 60 nights), and the engine spent
    /// seconds on them. Every value is HTML-escaped as the engine escapes `{{value}}`.
    ///
    /// ```
    /// {{#rows}}<tr{{#hasAnchor}} id="gw-{{anchor}}"{{/hasAnchor}}{{#hasCls}} class="{{cls}}"{{/hasCls}}>
    ///   {{#cells}}<td{{#hasCls}} class="{{cls}}"{{/hasCls}}>{{^segs}}{{text}}{{/segs}}{{#segs}}…{{/segs}}</td>{{/cells}}
    /// </tr>\n{{/rows}}
    /// ```
    static func markup(_ rows: [Row]) -> String {
        var html = ""
        html.reserveCapacity(rows.count * 256)
        for row in rows {
            html += "<tr"
            if row.hasAnchor { html.appendAttribute("id", "gw-", row.anchor) }
            if row.hasCls { html.appendAttribute("class", "", row.cls) }
            html += ">"
            for cell in row.cells {
                html += "<td"
                if cell.hasCls { html.appendAttribute("class", "", cell.cls) }
                html += ">"
                if cell.segs.isEmpty {
                    html.appendEscaped(cell.text)
                } else {
                    for segment in cell.segs { html.appendMarkup(of: segment) }
                }
                html += "</td>"
            }
            html += "</tr>\n"
        }
        return html
    }
}

extension HTMLContext {
    /// The index's rows as the index template rendered them through the engine, one line each:
    /// `<tr><td><a href="#gw-{{anchor}}">{{name}}</a></td><td>{{id}}</td>…<td>{{failures}}</td></tr>`.
    static func markup(_ index: [IndexRow]) -> String {
        var html = ""
        html.reserveCapacity(index.count * 300)
        for row in index {
            html += "<tr><td><a href=\"#gw-"
            html.appendEscaped(row.anchor)
            html += "\">"
            html.appendEscaped(row.name)
            html += "</a></td>"
            for text in [row.id, row.state, "\(row.snapshots)", "\(row.changes)", row.lastChange] {
                html += "<td>"
                html.appendEscaped(text)
                html += "</td>"
            }
            html += "<td>\(row.anomalies)</td><td>\(row.failures)</td></tr>\n"
        }
        return html
    }
}

extension String {
    /// Appends ` name="prefix<escaped value>"`.
    fileprivate mutating func appendAttribute(_ name: String, _ prefix: String, _ value: String) {
        self += " \(name)=\"\(prefix)"
        appendEscaped(value)
        self += "\""
    }

    /// Appends a segment as ``HTMLTemplates/segments`` renders it: plain, `<del>`, `<ins>`, then `<wbr />`.
    fileprivate mutating func appendMarkup(of segment: HTMLContext.Segment) {
        if segment.p { appendEscaped(segment.t) }
        if segment.d {
            self += "<del>"
            appendEscaped(segment.t)
            self += "</del>"
        }
        if segment.i {
            self += "<ins>"
            appendEscaped(segment.t)
            self += "</ins>"
        }
        if segment.w { self += "<wbr />" }
    }

    /// Appends `text` with `<`, `>`, `&`, `"` and `'` replaced by their entities (the template engine's
    /// escaping), scanning bytes and copying untouched runs whole.
    mutating func appendEscaped(_ text: String) {
        let bytes = text.utf8
        guard bytes.contains(where: Self.needsEscape) else {
            self += text
            return
        }
        var run = bytes.startIndex
        var index = run
        while index != bytes.endIndex {
            let byte = bytes[index]
            if Self.needsEscape(byte) {
                self += text[run..<index]
                switch byte {
                case UInt8(ascii: "<"): self += "&lt;"
                case UInt8(ascii: ">"): self += "&gt;"
                case UInt8(ascii: "&"): self += "&amp;"
                case UInt8(ascii: "\""): self += "&quot;"
                default: self += "&#39;"
                }
                run = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        self += text[run..<bytes.endIndex]
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
