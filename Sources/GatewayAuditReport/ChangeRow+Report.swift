import GatewayAuditCore
import GatewayAuditStore

extension ChangeRow: ReportRow {
    /// The changes view's columns. The window and `api_updated_at` belong to the new snapshot, so they
    /// are rendered once for all field changes of that snapshot; a modified field's new value is
    /// highlighted in HTML.
    public static let columns: [ReportColumn<ChangeRow>] = [
        ReportColumn("gateway_id", isResourceID: true) { row, _ in row.gatewayID.rawValue },
        ReportColumn("change") { row, _ in row.change.rawValue },
        ReportColumn("field") { row, _ in row.field },
        ReportColumn("old_value") { row, _ in row.oldValue ?? "" },
        ReportColumn("new_value", highlight: .when({ row, _ in row.change == .modified }), diffAgainst: "old_value") {
            row, _ in
            row.newValue ?? ""
        },
        ReportColumn("last_seen_before", sharedBySnapshot: true) { row, cells in
            row.lastSeenBefore.map(cells.time) ?? ""
        },
        ReportColumn("first_seen_after", sharedBySnapshot: true) { row, cells in cells.time(row.firstSeenAfter) },
        ReportColumn("api_updated_at", sharedBySnapshot: true) { row, cells in
            cells.timestamp(row.apiUpdatedAtTimestamp, raw: row.apiUpdatedAt)
        },
        ReportColumn("resource_kind") { row, _ in row.kind.rawValue },
        ReportColumn("account", sharedBySnapshot: true, isResourceID: true) { row, _ in row.scope.account },
        ReportColumn("region", sharedBySnapshot: true, isResourceID: true) { row, _ in row.scope.region },
        ReportColumn("project_id", sharedBySnapshot: true, isResourceID: true) { row, _ in row.scope.projectID },
    ]

    /// Streams the change rows `filter` selects.
    /// - Throws: ``StoreError``, or what `body` throws.
    public static func forEach(in store: any HistoryReading, _ filter: ReportFilter, _ body: (ChangeRow) throws -> Void)
        throws
    {
        try store.forEachChangeRow(filter, body)
    }

    /// True for the `gone` event.
    public var isGone: Bool { change == .gone }
}
