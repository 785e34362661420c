import GatewayAuditCore
import GatewayAuditStore

/// The typed values the HTML templates (``HTMLTemplates``) render. Property names are the template's
/// variable names; the engine reads them by reflection, so a property must never be optional (a nil
/// would make the engine look the name up in an enclosing context instead).
enum HTMLContext {
    /// The page head: title, zone, generation time, filters, the script's CSP hash, per-page CSS.
    struct Head {
        let title: String
        let zone: String
        let generated: String
        let filters: String
        let version: String
        let scriptHash: String
        let css: String
        let tickCSS: String
    }

    /// The summary and the index.
    struct Overview {
        let figures: [Figure]
        let hasKinds: Bool
        let kinds: [Figure]
        let hasRun: Bool
        let runHead: String
        let runStarted: String
        let runFinished: String
        let runCounts: String
        let chainHead: String
        /// The index's rows, escaped and marked up (`HTMLContext.markup(_:)`).
        let indexHTML: String
        let hasQuiet: Bool
        let quietCount: Int
    }

    /// A labelled number; `warn` draws attention to it.
    struct Figure {
        let label: String
        let value: Int
        let warn: Bool
    }

    /// One resource in the index.
    struct IndexRow {
        let anchor: String
        let name: String
        let id: String
        let state: String
        let snapshots: Int
        let changes: Int
        let lastChange: String
        let anomalies: Int
        let failures: Int
    }

    /// One resource's section: heading, timeline, old → new list, table, anomalies and failures.
    struct Section {
        let anchor: String
        let open: Bool
        let title: String
        let id: String
        let state: String
        let hasTimeline: Bool
        let bands: [Timeline.Band]
        let marks: [Timeline.Mark]
        let ticks: String
        let hasDiffs: Bool
        let diffs: [Diff]
        let columns: [String]
        /// The table's rows, escaped and marked up (``HTMLContext/markup(_:)``).
        let rowsHTML: String
        let hasAnomalies: Bool
        let anomalies: [Anomaly]
        let hasFailures: Bool
        let failures: [Failure]
        let hasLinks: Bool
        let links: [Link]
    }

    /// A link to a related resource (a connection's gateways, or a gateway's connections); `href` is
    /// empty when that resource has no section on this page.
    struct Link {
        let relation: String
        let text: String
        let href: String
        let hasHref: Bool
    }

    /// A field's change, old → new, with the changed part marked.
    struct Diff {
        let field: String
        let change: String
        let before: String
        let after: String
        let hasOld: Bool
        let old: [Segment]
        let hasNew: Bool
        let new: [Segment]
    }

    /// A table row; `cls` is `gone` for a gone state; `anchor`, when not empty, makes the row a link
    /// target (a quiet gateway's first row).
    struct Row {
        let hasCls: Bool
        let cls: String
        var anchor: String
        var hasAnchor: Bool
        var cells: [Cell]
    }

    /// The quiet gateways' shared table.
    struct Quiet {
        let count: Int
        let hasCommon: Bool
        /// The columns with one value in every row, said once above the table instead.
        let common: [Common]
        let columns: [String]
        /// The table's rows, escaped and marked up (``HTMLContext/markup(_:)``).
        let rowsHTML: String
    }

    /// A column whose every row holds the same value.
    struct Common {
        let name: String
        let value: String
    }

    /// A table cell: plain `text`, or `segs` when parts are marked or may break; `cls` is `ch` when
    /// highlighted and `w` when the value may wrap.
    struct Cell {
        let hasCls: Bool
        let cls: String
        let text: String
        let segs: [Segment]
    }

    /// A stretch of a value: plain (`p`), removed (`d`), inserted (`i`); `w` allows a line break after it.
    struct Segment {
        let t: String
        let p: Bool
        let d: Bool
        let i: Bool
        let w: Bool
    }

    /// An anomaly explained in words; its evidence in words that never break inside (times).
    struct Anomaly {
        let kind: String
        let field: String
        let seq: Int64
        let explanation: String
        let detail: [String]
    }

    /// A failed observation (a gap in what was seen).
    struct Failure {
        let at: String
        let run: Int64
        let error: String
    }

    /// The page foot.
    struct Foot {
        let rowCount: Int
        let version: String
    }
}
