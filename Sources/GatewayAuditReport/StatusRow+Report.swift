import GatewayAuditCore
import GatewayAuditStore

extension StatusRow: ReportRow {
    /// The status view's columns: one row per window of an operational status (VPN gateways and
    /// connections), so "when did this tunnel go DOWN" has an exact window.
    public static let columns: [ReportColumn<StatusRow>] = [
        ReportColumn("gateway_id", isResourceID: true) { row, _ in row.gatewayID.rawValue },
        ReportColumn("resource_kind") { row, _ in row.kind.rawValue },
        ReportColumn("status", highlight: .when({ row, _ in row.status != "ACTIVE" })) { row, _ in row.status },
        ReportColumn("first_seen") { row, cells in cells.time(row.firstSeen) },
        ReportColumn("last_seen") { row, cells in cells.time(row.lastSeen) },
        ReportColumn("account", isResourceID: true) { row, _ in row.scope.account },
        ReportColumn("region", isResourceID: true) { row, _ in row.scope.region },
        ReportColumn("project_id", isResourceID: true) { row, _ in row.scope.projectID },
    ]

    /// Streams the status windows `filter` selects.
    /// - Throws: ``StoreError``, or what `body` throws.
    public static func forEach(in store: any HistoryReading, _ filter: ReportFilter, _ body: (StatusRow) throws -> Void)
        throws
    {
        try store.forEachStatusRow(filter, body)
    }

    /// Never: a status window is of a present resource.
    public var isGone: Bool { false }
}
