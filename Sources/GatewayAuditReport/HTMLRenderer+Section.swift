import GatewayAuditCore
import GatewayAuditStore

extension HTMLRenderer {
    /// The summary's figures, the latest run and the index.
    func overviewContext(_ overview: DashboardOverview, index resources: [DashboardOverview.Resource], quiet: Int)
        throws -> HTMLContext.Overview
    {
        let figure = { (label: String, value: Int, warn: Bool) in
            HTMLContext.Figure(label: label, value: value, warn: warn)
        }
        let figures = [
            figure("resources", overview.resources.count, false), figure("present", overview.present, false),
            figure("gone", overview.gone, overview.gone > 0), figure("new in range", overview.new, false),
            figure("changed in range", overview.changed, overview.changed > 0),
            figure("field changes", overview.fieldChanges, false),
            figure("anomalies", overview.anomalies, overview.anomalies > 0),
            figure("failed observations", overview.failures, overview.failures > 0),
        ]
        let run = try store.runs(limit: 1).first
        let counts = run.map { r in
            let c = r.counts
            return "\(c.observed) observed, \(c.changed) changed, \(c.new) new, \(c.gone) gone, \(c.failed) failed"
        }
        let index = resources.map { resource in
            let summary = resource.summary
            return HTMLContext.IndexRow(
                anchor: HTMLRenderer.anchor(summary.gatewayID.rawValue),
                name: HTMLRenderer.printable(summary.name ?? summary.gatewayID.rawValue),
                id: HTMLRenderer.printable(summary.gatewayID.rawValue),
                state: summary.state?.rawValue ?? "never fetched",
                snapshots: summary.snapshotCount, changes: resource.changes,
                lastChange: resource.lastChange.map { window($0.before, $0.after) } ?? "",
                anomalies: resource.anomalies, failures: resource.failures)
        }
        return HTMLContext.Overview(
            figures: figures, hasKinds: !overview.anomalyKinds.isEmpty,
            kinds: overview.anomalyKinds.map { figure($0.kind.rawValue, $0.count, false) }, hasRun: run != nil,
            runHead: run.map { "run \($0.id) \($0.status.rawValue)" } ?? "",
            runStarted: run.map { cells.time($0.startedAt) } ?? "",
            runFinished: run.map { $0.finishedAt.map(cells.time) ?? "not finished" } ?? "", runCounts: counts ?? "",
            chainHead: try store.chainHead(), indexHTML: HTMLContext.markup(index), hasQuiet: quiet > 0,
            quietCount: quiet)
    }

    /// A change window in words.
    func window(_ before: Instant?, _ after: Instant) -> String {
        "\(before.map(cells.time) ?? "…") – \(cells.time(after))"
    }

    /// One resource's section.
    func sectionContext(
        _ section: GatewaySection, resource: DashboardOverview.Resource, columns: [String],
        table: [HTMLContext.Row], range: (Instant, Instant), ticks: String
    ) -> HTMLContext.Section {
        let summary = section.summary
        let timeline = Timeline(range: range, section: section, cells: cells)
        // A quiet resource (one state, no mark) needs no timeline: its single band would say nothing.
        let hasTimeline = timeline.bands.count > 1 || !timeline.marks.isEmpty
        // The history table already shows each change old → new (consecutive rows, the changed part marked)
        // and the changes table has both values: only the timestamps view lists the field changes apart.
        let diffs = options.view == .timestamps ? section.changes.filter { !$0.field.isEmpty }.map(diff) : []
        return HTMLContext.Section(
            anchor: HTMLRenderer.anchor(summary.gatewayID.rawValue), open: resource.needsAttention,
            title: HTMLRenderer.printable(summary.name ?? summary.gatewayID.rawValue),
            id: HTMLRenderer.printable(summary.gatewayID.rawValue), state: summary.state?.rawValue ?? "never fetched",
            hasTimeline: hasTimeline, bands: timeline.bands,
            marks: timeline.marks, ticks: ticks, hasDiffs: !diffs.isEmpty, diffs: diffs,
            columns: columns, rowsHTML: HTMLContext.markup(table), hasAnomalies: !section.anomalies.isEmpty,
            anomalies: section.anomalies.map { anomaly in
                HTMLContext.Anomaly(
                    kind: anomaly.kind.rawValue, field: anomaly.field, seq: anomaly.seq,
                    explanation: anomaly.kind.explanation,
                    detail: HTMLRenderer.printable(anomaly.detail).split(separator: " ").map(String.init))
            },
            hasFailures: !section.failures.isEmpty,
            failures: section.failures.map { failure in
                HTMLContext.Failure(
                    at: cells.time(failure.observedAt), run: failure.run, error: HTMLRenderer.printable(failure.error))
            },
            hasLinks: !links(section).isEmpty, links: links(section))
    }

    /// A connection's VPN gateway and customer gateway; a gateway's connections.
    func links(_ section: GatewaySection) -> [HTMLContext.Link] {
        func link(_ relation: String, _ id: GatewayID, _ name: String?) -> HTMLContext.Link {
            let here = onPage.contains(id)
            return HTMLContext.Link(
                relation: relation, text: HTMLRenderer.printable(name.map { "\($0) (\(id.rawValue))" } ?? id.rawValue),
                href: here ? "#gw-" + HTMLRenderer.anchor(id.rawValue) : "", hasHref: here)
        }
        return section.references.map { link($0.kind == .vpnGateway ? "VPN gateway" : "customer gateway", $0.id, nil) }
            + section.referrers.map { link("connection", $0.gatewayID, $0.name) }
    }

    private func diff(_ row: ChangeRow) -> HTMLContext.Diff {
        let old = HTMLRenderer.printable(row.oldValue ?? "")
        let new = HTMLRenderer.printable(row.newValue ?? "")
        let pieces = ValueDiff(old: old, new: new)
        return HTMLContext.Diff(
            field: HTMLRenderer.printable(row.field), change: row.change.rawValue,
            before: row.lastSeenBefore.map(cells.time) ?? "…", after: cells.time(row.firstSeenAfter),
            hasOld: row.oldValue != nil,
            old: pieces.old.map { HTMLRenderer.segment($0.text, deleted: $0.changed) }, hasNew: row.newValue != nil,
            new: pieces.new.map { HTMLRenderer.segment($0.text, inserted: $0.changed) })
    }

    static func segment(_ text: String, deleted: Bool = false, inserted: Bool = false, wrap: Bool = false)
        -> HTMLContext.Segment
    {
        HTMLContext.Segment(t: text, p: !deleted && !inserted, d: deleted, i: inserted, w: wrap)
    }
}
