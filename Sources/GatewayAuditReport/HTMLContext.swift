import GatewayAuditCore
import GatewayAuditStore

/// The typed values the HTML templates (``HTMLTemplates``) render. Property names are the template's
/// variable names; the engine reads them by reflection, so a property must never be optional (a nil
/// would make the engine look the name up in an enclosing context instead).
enum HTMLContext {
    /// The page head: title, zone, generation time, filters.
    struct Head {
        let title: String
        let zone: String
        let generated: String
        let filters: String
        let version: String
    }

    /// One gateway's section: summary line, timeline, table, anomalies and failures.
    struct Section {
        let anchor: String
        let title: String
        let id: String
        let state: String
        let firstSeen: String
        let lastSeen: String
        let snapshotCount: Int
        let bands: [Timeline.Band]
        let marks: [Timeline.Mark]
        let rangeStart: String
        let rangeEnd: String
        let columns: [String]
        let rows: [Row]
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

    /// A table row; `cls` is `gone` for a gone state.
    struct Row {
        let cls: String
        let cells: [Cell]
    }

    /// A table cell; `cls` is `changed` when highlighted.
    struct Cell {
        let text: String
        let cls: String
    }

    /// An anomaly explained in words.
    struct Anomaly {
        let kind: String
        let field: String
        let seq: Int64
        let explanation: String
        let detail: String
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
