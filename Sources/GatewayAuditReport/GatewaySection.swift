import GatewayAuditCore
import GatewayAuditStore

/// Everything the HTML shows for one gateway, read with that gateway's filter (bounded memory).
struct GatewaySection {
    let summary: GatewaySummary
    let history: [HistoryRow]
    let changes: [ChangeRow]
    let timestamps: [TimestampRow]
    let anomalies: [StoredAnomaly]
    let failures: [FailedObservation]

    /// Reads the gateway's rows of every view, its anomalies and its failed observations.
    /// - Throws: ``StoreError``.
    init(summary: GatewaySummary, filter: ReportFilter, store: any HistoryReading) throws {
        self.summary = summary
        history = try GatewaySection.rows(in: store, filter)
        changes = try GatewaySection.rows(in: store, filter)
        timestamps = try GatewaySection.rows(in: store, filter)
        anomalies = try store.anomalies(filter)
        failures = try store.failedObservations(filter)
    }

    static func rows<Row: ReportRow>(in store: any HistoryReading, _ filter: ReportFilter) throws -> [Row] {
        var rows: [Row] = []
        try Row.forEach(in: store, filter) { rows.append($0) }
        return rows
    }

    /// The rows of the view `Row` already read for this section, or nil for a view it does not hold.
    func rows<Row: ReportRow>() -> [Row]? {
        history as? [Row] ?? changes as? [Row] ?? timestamps as? [Row]
    }
}
