import GatewayAuditCore
import GatewayAuditStore

extension TimestampRow: ReportRow {
    /// The timestamps view's columns; a non-empty anomaly cell is highlighted in HTML.
    public static let columns: [ReportColumn<TimestampRow>] = [
        ReportColumn("gateway_id", isResourceID: true) { row, _ in row.gatewayID.rawValue },
        ReportColumn("field") { row, _ in row.field },
        ReportColumn("raw") { row, _ in row.raw },
        ReportColumn("utc") { row, _ in row.timestamp?.utcText ?? "" },
        ReportColumn("local") { row, cells in row.timestamp.map { $0.text(in: cells.zone) } ?? "" },
        ReportColumn("offset_sent") { row, _ in row.timestamp?.offsetDesignator ?? "" },
        ReportColumn("anomaly", highlight: .when({ _, cell in !cell.isEmpty })) { row, _ in
            row.anomalies.map(\.kind.rawValue).joined(separator: ";")
        },
        ReportColumn("resource_kind") { row, _ in row.kind.rawValue },
        ReportColumn("account", sharedBySnapshot: true, isResourceID: true) { row, _ in row.scope.account },
        ReportColumn("region", sharedBySnapshot: true, isResourceID: true) { row, _ in row.scope.region },
        ReportColumn("project_id", sharedBySnapshot: true, isResourceID: true) { row, _ in row.scope.projectID },
    ]

    /// Streams the timestamp rows `filter` selects.
    /// - Throws: ``StoreError``, or what `body` throws.
    public static func forEach(
        in store: any HistoryReading, _ filter: ReportFilter, _ body: (TimestampRow) throws -> Void
    ) throws {
        try store.forEachTimestampRow(filter, body)
    }

    /// Never: a timestamp row is of a present snapshot.
    public var isGone: Bool { false }
}
