import GatewayAuditCore
import GatewayAuditStore
import Mustache

/// Renders a view as one self-contained HTML page: a section per gateway with an SVG timeline of its
/// snapshots, changes, gaps and gone periods, the view's table, and its anomalies explained in words.
struct HTMLRenderer {
    let store: any HistoryReading
    let options: ReportOptions
    private let cells: ReportCells

    init(store: any HistoryReading, options: ReportOptions) {
        self.store = store
        self.options = options
        cells = ReportCells(zone: options.zone)
    }

    mutating func render<Output: TextOutputStream>(to output: inout Output) throws -> Int {
        let templates = try Templates()
        let header: [String: Any] = [
            "title": "gateway-audit: \(options.view.title)", "zone": options.zone.identifier,
            "generated": options.generatedAt.iso8601(in: options.zone), "filters": options.filterDescription,
            "version": GatewayAuditVersion.current,
        ]
        output.write(templates.head.render(header))
        let wanted = Set(options.filter.gatewayIDs)
        let gateways = try store.gateways().filter { wanted.isEmpty || wanted.contains($0.gatewayID) }
        let range = timelineRange(gateways)
        var rowCount = 0
        var sections = 0
        for summary in gateways {
            var filter = options.filter
            filter.gatewayIDs = [summary.gatewayID]
            let section = try GatewaySection(summary: summary, filter: filter, store: store)
            let rows = tableRows(section)
            let timeFiltered = options.filter.since != nil || options.filter.until != nil
            if rows.isEmpty && timeFiltered { continue }
            rowCount += rows.count
            sections += 1
            output.write(templates.section.render(context(section, rows: rows, range: range)))
        }
        if sections == 0 { output.write(templates.empty.render([String: Any]())) }
        output.write(templates.foot.render(["rowCount": rowCount, "version": GatewayAuditVersion.current] as [String: Any]))
        return rowCount
    }

    private func tableRows(_ section: GatewaySection) -> [[String: Any]] {
        switch options.view {
        case .history:
            var previous: [String]?
            return section.history.map { row in
                let values = cells.history(row)
                var changed = Set<Int>()
                if let previous, row.state == .present, previous[1] == SnapshotState.present.rawValue {
                    changed = Set((4...14).filter { previous[$0] != values[$0] })
                }
                previous = values
                return [
                    "cls": row.state == .gone ? "gone" : "",
                    "cells": values.enumerated().map { index, text in
                        ["text": HTMLRenderer.printable(text), "cls": changed.contains(index) ? "changed" : ""]
                    },
                ]
            }
        case .changes:
            return section.changes.map { row in
                let values = cells.change(row)
                return [
                    "cls": row.change == .gone ? "gone" : "",
                    "cells": values.enumerated().map { index, text in
                        ["text": HTMLRenderer.printable(text), "cls": index == 4 && row.change == .modified ? "changed" : ""]
                    },
                ]
            }
        case .timestamps:
            return section.timestamps.map { row in
                let values = cells.timestamp(row)
                return [
                    "cls": "",
                    "cells": values.enumerated().map { index, text in
                        ["text": HTMLRenderer.printable(text), "cls": index == 6 && !text.isEmpty ? "changed" : ""]
                    },
                ]
            }
        }
    }

    private func context(_ section: GatewaySection, rows: [[String: Any]], range: (Instant, Instant)) -> [String: Any] {
        let summary = section.summary
        let timeline = Timeline(range: range, section: section, cells: cells)
        return [
            "anchor": HTMLRenderer.anchor(summary.gatewayID.rawValue),
            "title": HTMLRenderer.printable(summary.name.map { "\($0)" } ?? summary.gatewayID.rawValue),
            "id": HTMLRenderer.printable(summary.gatewayID.rawValue),
            "state": summary.state?.rawValue ?? "never fetched",
            "firstSeen": summary.firstSeen.map(cells.time) ?? "never",
            "lastSeen": summary.lastSeen.map(cells.time) ?? "never",
            "snapshotCount": summary.snapshotCount,
            "bands": timeline.bands, "marks": timeline.marks,
            "rangeStart": cells.time(range.0), "rangeEnd": cells.time(range.1),
            "columns": options.view.columns,
            "rows": rows,
            "hasAnomalies": !section.anomalies.isEmpty,
            "anomalies": section.anomalies.map { anomaly in
                [
                    "kind": anomaly.kind.rawValue, "field": anomaly.field, "seq": anomaly.seq,
                    "explanation": anomaly.kind.explanation, "detail": HTMLRenderer.printable(anomaly.detail),
                ] as [String: Any]
            },
            "hasFailures": !section.failures.isEmpty,
            "failures": section.failures.map { failure in
                ["at": cells.time(failure.observedAt), "run": failure.run, "error": HTMLRenderer.printable(failure.error)]
                    as [String: Any]
            },
        ]
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
        String(id.unicodeScalars.map { scalar -> Character in
            scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || scalar == "-"
                ? Character(scalar) : "_"
        })
    }

    private struct Templates {
        let head: MustacheTemplate
        let section: MustacheTemplate
        let empty: MustacheTemplate
        let foot: MustacheTemplate

        init() throws {
            head = try MustacheTemplate(string: HTMLTemplates.head)
            section = try MustacheTemplate(string: HTMLTemplates.section)
            empty = try MustacheTemplate(string: HTMLTemplates.empty)
            foot = try MustacheTemplate(string: HTMLTemplates.foot)
        }
    }
}

/// Everything the HTML shows for one gateway, read with that gateway's filter (bounded memory).
struct GatewaySection {
    let summary: GatewaySummary
    var history: [HistoryRow] = []
    var changes: [ChangeRow] = []
    var timestamps: [TimestampRow] = []
    let anomalies: [StoredAnomaly]
    let failures: [FailedObservation]

    init(summary: GatewaySummary, filter: ReportFilter, store: any HistoryReading) throws {
        self.summary = summary
        var history: [HistoryRow] = []
        try store.forEachHistoryRow(filter) { history.append($0) }
        var changes: [ChangeRow] = []
        try store.forEachChangeRow(filter) { changes.append($0) }
        var timestamps: [TimestampRow] = []
        try store.forEachTimestampRow(filter) { timestamps.append($0) }
        self.history = history
        self.changes = changes
        self.timestamps = timestamps
        anomalies = try store.anomalies(filter)
        failures = try store.failedObservations(filter)
    }
}
