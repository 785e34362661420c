import GatewayAuditCore
import GatewayAuditStore
import Mustache

/// Renders a view as one self-contained HTML page: a section per gateway with an SVG timeline of its
/// snapshots, changes, gaps and gone periods, the view's table, and its anomalies explained in words.
struct HTMLRenderer {
    let store: any HistoryReading
    let options: ReportOptions
    private let cells: ReportCells
    /// The resources with a section on this page (links to others are plain text).
    private var onPage = Set<GatewayID>()

    init(store: any HistoryReading, options: ReportOptions) {
        self.store = store
        self.options = options
        cells = ReportCells(zone: options.zone)
    }

    /// Writes the page to `output`, one gateway section at a time; returns the number of table rows.
    /// - Throws: ``StoreError``; a template error (the templates are compiled in, so only a bug).
    mutating func render<Output: TextOutputStream>(to output: inout Output) throws -> Int {
        let templates = try Templates()
        let head = HTMLContext.Head(
            title: "gateway-audit: \(options.view.title)", zone: options.zone.identifier,
            generated: options.generatedAt.iso8601(in: options.zone), filters: options.filterDescription,
            version: GatewayAuditVersion.current)
        output.write(templates.head.render(head))
        let wanted = Set(options.filter.gatewayIDs)
        let kinds = options.view == .history ? [options.historyKind] : options.filter.kinds
        let gateways = try store.gateways().filter {
            (wanted.isEmpty || wanted.contains($0.gatewayID)) && (kinds.isEmpty || kinds.contains($0.kind))
                && options.filter.scopes.matches($0.scope)
        }.sorted { ($0.scope, $0.gatewayID.rawValue) < ($1.scope, $1.gatewayID.rawValue) }
        let overview = try ScopeOverview(store: store, gateways: gateways, filter: options.filter, cells: cells)
        output.write(templates.scopes.render(["scopes": overview.rows]))
        var anchored = Set<ScopeKey>()
        let range = timelineRange(gateways)
        onPage = Set(gateways.map(\.gatewayID))
        let timeFiltered = options.filter.since != nil || options.filter.until != nil
        var rowCount = 0
        var sections = 0
        for summary in gateways {
            var filter = options.filter
            filter.gatewayIDs = [summary.gatewayID]
            filter.kinds = [summary.kind]
            let section = try GatewaySection(summary: summary, filter: filter, store: store)
            let rows = tableRows(section)
            if rows.isEmpty && timeFiltered { continue }
            rowCount += rows.count
            sections += 1
            if anchored.insert(summary.scope).inserted {
                output.write(
                    templates.scopeHeading.render(
                        ["anchor": ScopeOverview.anchor(summary.scope), "scope": summary.scope.description]))
            }
            output.write(templates.section.render(context(section, rows: rows, range: range)))
        }
        if sections == 0 { output.write(templates.empty.render([String: String]())) }
        output.write(templates.foot.render(HTMLContext.Foot(rowCount: rowCount, version: GatewayAuditVersion.current)))
        return rowCount
    }

    private func tableRows(_ section: GatewaySection) -> [HTMLContext.Row] {
        switch options.view {
        case .history:
            switch options.historyKind {
            case .customerGateway: return tableRows(section.history)
            case .vpnGateway: return tableRows(section.history.map(VPNGatewayHistoryRow.init))
            case .vpnConnection: return tableRows(section.history.map(ConnectionHistoryRow.init))
            }
        case .changes: return tableRows(section.changes)
        case .timestamps: return tableRows(section.timestamps)
        case .status: return tableRows(section.status)
        }
    }

    /// The view's table: each row's cells in column order, highlighted as each column says.
    private func tableRows<Row: ReportRow>(_ rows: [Row]) -> [HTMLContext.Row] {
        var renderer = ReportRowRenderer<Row>(cells: cells)
        var previous: (row: Row, cells: [String])?
        return rows.map { row in
            let values = renderer.cells(of: row)
            let tableCells = zip(Row.columns, values).enumerated().map { index, pair in
                let (column, text) = pair
                let highlighted = column.highlight.isHighlighted(
                    text, of: row, previous: previous.map { (row: $0.row, cell: $0.cells[index]) })
                return HTMLContext.Cell(text: HTMLRenderer.printable(text), cls: highlighted ? "changed" : "")
            }
            previous = (row, values)
            return HTMLContext.Row(cls: row.isGone ? "gone" : "", cells: tableCells)
        }
    }

    private func context(_ section: GatewaySection, rows: [HTMLContext.Row], range: (Instant, Instant))
        -> HTMLContext.Section
    {
        let summary = section.summary
        let timeline = Timeline(range: range, section: section, cells: cells)
        let links = links(section)
        return HTMLContext.Section(
            anchor: HTMLRenderer.anchor(summary.gatewayID.rawValue),
            title: HTMLRenderer.printable(summary.name ?? summary.gatewayID.rawValue),
            id: HTMLRenderer.printable(summary.gatewayID.rawValue),
            state: summary.state?.rawValue ?? "never fetched",
            firstSeen: summary.firstSeen.map(cells.time) ?? "never",
            lastSeen: summary.lastSeen.map(cells.time) ?? "never",
            snapshotCount: summary.snapshotCount,
            bands: timeline.bands, marks: timeline.marks,
            rangeStart: cells.time(range.0), rangeEnd: cells.time(range.1),
            columns: options.view.columns(for: options.historyKind),
            rows: rows,
            hasAnomalies: !section.anomalies.isEmpty,
            anomalies: section.anomalies.map { anomaly in
                HTMLContext.Anomaly(
                    kind: anomaly.kind.rawValue, field: anomaly.field, seq: anomaly.seq,
                    explanation: anomaly.kind.explanation, detail: HTMLRenderer.printable(anomaly.detail))
            },
            hasFailures: !section.failures.isEmpty,
            failures: section.failures.map { failure in
                HTMLContext.Failure(
                    at: cells.time(failure.observedAt), run: failure.run, error: HTMLRenderer.printable(failure.error))
            },
            hasLinks: !links.isEmpty, links: links)
    }

    /// A connection's VPN gateway and customer gateway; a gateway's connections.
    private func links(_ section: GatewaySection) -> [HTMLContext.Link] {
        func link(_ relation: String, _ id: GatewayID, _ name: String?) -> HTMLContext.Link {
            let here = onPage.contains(id)
            return HTMLContext.Link(
                relation: relation, text: HTMLRenderer.printable(name.map { "\($0) (\(id.rawValue))" } ?? id.rawValue),
                href: here ? "#gw-" + HTMLRenderer.anchor(id.rawValue) : "", hasHref: here)
        }
        return section.references.map { link($0.kind == .vpnGateway ? "VPN gateway" : "customer gateway", $0.id, nil) }
            + section.referrers.map { link("connection", $0.gatewayID, $0.name) }
    }

    private func timelineRange(_ gateways: [GatewaySummary]) -> (Instant, Instant) {
        let start = options.filter.since ?? gateways.compactMap(\.firstSeen).min() ?? options.generatedAt
        let end = options.filter.until ?? gateways.compactMap(\.lastSeen).max() ?? options.generatedAt
        return (start, max(end, start.adding(seconds: 1)))
    }

    /// Text safe for XML 1.0 and HTML: control characters (other than tab and newline) become U+FFFD.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isForbidden) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isForbidden(scalar) ? "\u{FFFD}" : scalar) }
        return String(scalars)
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
            || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }

    /// An id usable in a fragment (`#gw-...`): letters, digits, `-` and `_` only.
    static func anchor(_ id: String) -> String {
        String(
            id.unicodeScalars.map { scalar -> Character in
                scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || scalar == "-"
                    ? Character(scalar) : "_"
            })
    }

    private struct Templates {
        let head: MustacheTemplate
        let section: MustacheTemplate
        let empty: MustacheTemplate
        let foot: MustacheTemplate
        let scopes: MustacheTemplate
        let scopeHeading: MustacheTemplate

        init() throws {
            scopes = try MustacheTemplate(string: HTMLTemplates.scopes)
            scopeHeading = try MustacheTemplate(string: HTMLTemplates.scopeHeading)
            head = try MustacheTemplate(string: HTMLTemplates.head)
            section = try MustacheTemplate(string: HTMLTemplates.section)
            empty = try MustacheTemplate(string: HTMLTemplates.empty)
            foot = try MustacheTemplate(string: HTMLTemplates.foot)
        }
    }
}
