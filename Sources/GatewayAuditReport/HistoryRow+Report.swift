import GatewayAuditCore
import GatewayAuditStore

extension HistoryRow: ReportRow {
    /// The history view's columns. A content cell is highlighted in HTML when it differs from the
    /// gateway's previous present snapshot; tombstone rows fill only the first four columns.
    public static let columns: [ReportColumn<HistoryRow>] = [
        ReportColumn("gateway_id", isResourceID: true) { row, _ in row.gatewayID.rawValue },
        ReportColumn("state") { row, _ in row.state.rawValue },
        ReportColumn("first_seen") { row, cells in cells.time(row.firstSeen) },
        ReportColumn("last_seen") { row, cells in cells.time(row.lastSeen) },
        content("name") { gateway, _ in gateway.name ?? "" },
        content("id_type") { gateway, _ in gateway.idType ?? "" },
        content("id_value") { gateway, _ in gateway.idValue ?? "" },
        content("bgp_asn") { gateway, _ in gateway.bgpASN.map(String.init) ?? "" },
        content("route_mode") { gateway, _ in gateway.routeMode ?? "" },
        content("ip") { gateway, _ in gateway.ip ?? "" },
        content("ca_serial_number") { gateway, _ in gateway.caCertificate?.serialNumber ?? "" },
        content("ca_expire_time") { gateway, cells in
            cells.timestamp(gateway.caCertificate?.expireTime, raw: gateway.caCertificate?.expireTimeText)
        },
        content("tags") { gateway, _ in
            (gateway.tags ?? []).sorted().map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        },
        content("created_at") { gateway, cells in cells.timestamp(gateway.createdAt, raw: gateway.createdAtText) },
        content("updated_at") { gateway, cells in cells.timestamp(gateway.updatedAt, raw: gateway.updatedAtText) },
        ReportColumn("content_sha256") { row, _ in row.contentSHA256 ?? "" },
        ReportColumn("account", sharedBySnapshot: true, isResourceID: true) { row, _ in row.scope.account },
        ReportColumn("region", sharedBySnapshot: true, isResourceID: true) { row, _ in row.scope.region },
        ReportColumn("project_id", sharedBySnapshot: true, isResourceID: true) { row, _ in row.scope.projectID },
    ]

    /// A column of the gateway's content: empty for a tombstone, highlighted when it changed since the
    /// previous present snapshot.
    private static func content(
        _ name: String, _ cell: @escaping @Sendable (CustomerGateway, ReportCells) -> String
    ) -> ReportColumn<HistoryRow> {
        ReportColumn(
            name,
            highlight: .whenChanged(comparable: { previous, row in previous.state == .present && row.state == .present }
            )
        ) {
            row, cells in row.gateway.map { cell($0, cells) } ?? ""
        }
    }

    /// Streams the history rows `filter` selects: customer gateways unless the filter names other kinds
    /// (the columns above are a customer gateway's; other kinds have their own rows, ``KindHistoryRow``).
    /// - Throws: ``StoreError``, or what `body` throws.
    public static func forEach(
        in store: any HistoryReading, _ filter: ReportFilter, _ body: (HistoryRow) throws -> Void
    ) throws {
        var narrowed = filter
        if narrowed.kinds.isEmpty { narrowed.kinds = [.customerGateway] }
        try store.forEachHistoryRow(narrowed, body)
    }

    /// True for a tombstone.
    public var isGone: Bool { state == .gone }
}
