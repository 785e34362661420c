import GatewayAuditCore
import GatewayAuditStore
import Mustache

/// Renders a view as one self-contained HTML dashboard: a summary, an index of every resource (changed
/// ones first, sortable and filterable by the inline script), then a section per resource with its SVG
/// timeline, its changes old → new, the view's table and its anomalies explained in words. Quiet
/// resources collapse into one line (`<details>`); the page is complete without the script.
struct HTMLRenderer {
    let store: any HistoryReading
    let options: ReportOptions
    let cells: ReportCells
    /// The resources with a section on this page (links to others are plain text).
    var onPage = Set<GatewayID>()

    init(store: any HistoryReading, options: ReportOptions) {
        self.store = store
        self.options = options
        cells = ReportCells(zone: options.zone)
    }

    /// Writes the page to `output`, one resource section at a time; returns the number of table rows.
    /// - Throws: ``StoreError``; a template error (the templates are compiled in, so only a bug).
    mutating func render<Output: TextOutputStream>(to output: inout Output) throws -> Int {
        switch options.view {
        case .history:
            switch options.historyKind {
            case .customerGateway: return try render(HistoryRow.self, to: &output)
            case .vpnGateway: return try render(VPNGatewayHistoryRow.self, to: &output)
            case .vpnConnection: return try render(ConnectionHistoryRow.self, to: &output)
            }
        case .changes: return try render(ChangeRow.self, to: &output)
        case .timestamps: return try render(TimestampRow.self, to: &output)
        case .status: return try render(StatusRow.self, to: &output)
        }
    }

    private mutating func render<Row: ReportRow, Output: TextOutputStream>(_ view: Row.Type, to output: inout Output)
        throws -> Int
    {
        let templates = try Templates()
        let wanted = Set(options.filter.gatewayIDs)
        let kinds = options.view == .history ? [options.historyKind] : options.filter.kinds
        let gateways = try store.gateways().filter {
            (wanted.isEmpty || wanted.contains($0.gatewayID)) && (kinds.isEmpty || kinds.contains($0.kind))
                && options.filter.scopes.matches($0.scope)
        }.sorted { ($0.scope, $0.gatewayID.rawValue) < ($1.scope, $1.gatewayID.rawValue) }
        onPage = Set(gateways.map(\.gatewayID))
        let timeFiltered = options.filter.since != nil || options.filter.until != nil
        let overview = try DashboardOverview(
            store: store, gateways: gateways, filter: options.filter, view: Row.self, onlyWithRows: timeFiltered)
        let range = timelineRange(gateways)
        let axis = TimelineAxis(range: range, zone: options.zone)
        let head = HTMLContext.Head(
            title: "gateway-audit: \(options.view.title)", zone: options.zone.identifier,
            generated: options.generatedAt.iso8601(in: options.zone), filters: options.filterDescription,
            version: GatewayAuditVersion.current, scriptHash: DashboardScript.cspHash, css: DashboardStyle.css,
            tickCSS: axis.css)
        output.write(templates.head.render(head))
        // Sections go scope by scope (the scopes table links to where each begins), in the overview's
        // order within a scope.
        let loud = overview.resources.filter(\.needsAttention)
        let quiet = overview.resources.filter { !$0.needsAttention }
        output.write(templates.overview.render(try overviewContext(overview, index: loud, quiet: quiet.count)))
        let scopeOverview = try ScopeOverview(store: store, gateways: gateways, filter: options.filter, cells: cells)
        output.write(templates.scopes.render(["scopes": scopeOverview.rows]))
        var anchored = Set<ScopeKey>()
        let sectioned = loud.enumerated().sorted { a, b in
            (a.element.summary.scope, a.offset) < (b.element.summary.scope, b.offset)
        }.map(\.element)

        let columns = Row.columns.filter { !$0.isResourceID }.map(\.name)
        var rowCount = 0
        for resource in sectioned {
            var filter = options.filter
            filter.gatewayIDs = [resource.summary.gatewayID]
            filter.kinds = [resource.summary.kind]
            if anchored.insert(resource.summary.scope).inserted {
                output.write(
                    templates.scopeHeading.render(
                        [
                            "anchor": ScopeOverview.anchor(resource.summary.scope),
                            "scope": resource.summary.scope.description,
                        ]))
            }
            let section = try GatewaySection(summary: resource.summary, filter: filter, store: store, view: Row.self)
            let rows: [Row] = try section.rows() ?? GatewaySection.rows(in: store, filter)
            rowCount += rows.count
            let table = HTMLRenderer.withoutEmptyColumns(columns, tableRows(rows, withResourceID: false))
            let context = sectionContext(
                section, resource: resource, columns: table.columns, table: table.rows, range: range,
                ticks: axis.elements)
            output.write(templates.section.render(context))
        }
        // Quiet gateways (nothing in range) share one collapsed table: one row each, one header for all.
        var quietRows: [HTMLContext.Row] = []
        for resource in quiet {
            var filter = options.filter
            filter.gatewayIDs = [resource.summary.gatewayID]
            filter.kinds = [resource.summary.kind]
            let rows: [Row] = try GatewaySection.rows(in: store, filter)
            rowCount += rows.count
            var table = tableRows(rows, withResourceID: true)
            if !table.isEmpty {
                table[0].anchor = HTMLRenderer.anchor(resource.summary.gatewayID.rawValue)
                table[0].hasAnchor = true
            }
            quietRows += table
        }
        if !quiet.isEmpty {
            let table = HTMLRenderer.withoutEmptyColumns(Row.columns.map(\.name), quietRows)
            let (columns, rows, common) = HTMLRenderer.factoringConstantColumns(table.columns, table.rows)
            output.write(
                templates.quiet.render(
                    HTMLContext.Quiet(
                        count: quiet.count, hasCommon: !common.isEmpty, common: common, columns: columns,
                        rowsHTML: HTMLContext.markup(rows))))
        }
        if overview.resources.isEmpty { output.write(templates.empty.render([String: String]())) }
        output.write(templates.foot.render(HTMLContext.Foot(rowCount: rowCount, version: GatewayAuditVersion.current)))
        output.write("<script>\(DashboardScript.source)</script>\n</body>\n</html>\n")
        return rowCount
    }

    private func timelineRange(_ gateways: [GatewaySummary]) -> (Instant, Instant) {
        let start = options.filter.since ?? gateways.compactMap(\.firstSeen).min() ?? options.generatedAt
        let end = options.filter.until ?? gateways.compactMap(\.lastSeen).max() ?? options.generatedAt
        return (start, max(end, start.adding(seconds: 1)))
    }

    /// Text safe for XML 1.0 and HTML: control characters (other than tab and newline) and the embeddings,
    /// overrides and isolates of bidirectional text become U+FFFD, so a value cannot reverse what a page shows
    /// after it (an old value's override turning `old → new` into `old wen →`).
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isForbidden) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isForbidden(scalar) ? "\u{FFFD}" : scalar) }
        return String(scalars)
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
            || scalar.value == 0xFFFE || scalar.value == 0xFFFF || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
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
        let overview: MustacheTemplate
        let section: MustacheTemplate
        let quiet: MustacheTemplate
        let scopes: MustacheTemplate
        let scopeHeading: MustacheTemplate
        let empty: MustacheTemplate
        let foot: MustacheTemplate

        init() throws {
            head = try MustacheTemplate(string: HTMLTemplates.head)
            overview = try MustacheTemplate(string: HTMLTemplates.overview)
            section = try MustacheTemplate(string: HTMLTemplates.section)
            quiet = try MustacheTemplate(string: HTMLTemplates.quiet)
            scopes = try MustacheTemplate(string: HTMLTemplates.scopes)
            scopeHeading = try MustacheTemplate(string: HTMLTemplates.scopeHeading)
            empty = try MustacheTemplate(string: HTMLTemplates.empty)
            foot = try MustacheTemplate(string: HTMLTemplates.foot)
        }
    }
}
