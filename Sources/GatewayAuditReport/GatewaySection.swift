import GatewayAuditCore
import GatewayAuditStore

/// Everything the HTML shows for one gateway, read with that gateway's filter (bounded memory).
struct GatewaySection {
    let summary: GatewaySummary
    let history: [HistoryRow]
    let changes: [ChangeRow]
    let timestamps: [TimestampRow]
    let status: [StatusRow]
    let anomalies: [StoredAnomaly]
    let failures: [FailedObservation]
    /// Resources this one refers to (a connection's gateways), from its latest present snapshot.
    let references: [ResourceLink]
    /// Resources that refer to this one (a gateway's connections), with their latest name.
    let referrers: [LinkedSnapshot]

    /// Reads the gateway's history and changes (the timeline's bands and marks), the rows of `view` when
    /// it is another view, its anomalies and its failed observations.
    /// - Throws: ``StoreError``.
    init<View: ReportRow>(summary: GatewaySummary, filter: ReportFilter, store: any HistoryReading, view: View.Type)
        throws
    {
        self.summary = summary
        history = try GatewaySection.rows(in: store, filter)
        changes = try GatewaySection.rows(in: store, filter)
        timestamps = view == TimestampRow.self ? try GatewaySection.rows(in: store, filter) : []
        status = view == StatusRow.self ? try GatewaySection.rows(in: store, filter) : []
        anomalies = try store.anomalies(filter)
        failures = try store.failedObservations(filter)
        var latest: Resource?
        if summary.kind == .vpnConnection {
            let whole = ReportFilter(gatewayIDs: [summary.gatewayID], kinds: [summary.kind])
            try store.forEachHistoryRow(whole) { row in if let resource = row.resource { latest = resource } }
        }
        references = latest?.links ?? []
        var byReferrer: [GatewayID: LinkedSnapshot] = [:]
        if summary.kind != .vpnConnection {
            for snapshot in try store.linkedSnapshots(to: summary.gatewayID, kind: summary.kind) {
                byReferrer[snapshot.gatewayID] = snapshot
            }
        }
        referrers = byReferrer.values.sorted { $0.gatewayID < $1.gatewayID }
    }

    static func rows<Row: ReportRow>(in store: any HistoryReading, _ filter: ReportFilter) throws -> [Row] {
        var rows: [Row] = []
        try Row.forEach(in: store, filter) { rows.append($0) }
        return rows
    }

    /// The rows of the view `Row` already read for this section, or nil for a view it does not hold.
    /// (Chosen by type, not by trying casts: an empty array casts to an array of any type.)
    func rows<Row: ReportRow>() -> [Row]? {
        if Row.self == HistoryRow.self { return history as? [Row] }
        if Row.self == ChangeRow.self { return changes as? [Row] }
        if Row.self == TimestampRow.self { return timestamps as? [Row] }
        if Row.self == StatusRow.self { return status as? [Row] }
        if Row.self == VPNGatewayHistoryRow.self { return history.map(VPNGatewayHistoryRow.init) as? [Row] }
        if Row.self == ConnectionHistoryRow.self { return history.map(ConnectionHistoryRow.init) as? [Row] }
        return nil
    }
}
