import GatewayAuditCore
import GatewayAuditStore

/// Turns read-model rows into the cells of each view, every time rendered in one zone.
public struct ReportCells: Sendable {
    /// The zone every time column (except `raw`) is rendered in.
    public let zone: Zone

    /// Creates a cell formatter for `zone`.
    public init(zone: Zone) {
        self.zone = zone
    }

    /// A history row's cells, in ``ReportView/history`` column order.
    public func history(_ row: HistoryRow) -> [String] {
        let g = row.gateway
        let tags = (g?.tags ?? []).sorted().map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        return [
            row.gatewayID.rawValue, row.state.rawValue, time(row.firstSeen), time(row.lastSeen), g?.name ?? "",
            g?.idType ?? "", g?.idValue ?? "", g?.bgpASN.map(String.init) ?? "", g?.routeMode ?? "", g?.ip ?? "",
            g?.caCertificate?.serialNumber ?? "",
            timestamp(g?.caCertificate?.expireTime, raw: g?.caCertificate?.expireTimeText), tags,
            timestamp(g?.createdAt, raw: g?.createdAtText), timestamp(g?.updatedAt, raw: g?.updatedAtText),
            row.contentSHA256 ?? "",
        ]
    }

    /// A change row's cells, in ``ReportView/changes`` column order.
    public func change(_ row: ChangeRow) -> [String] {
        var cache = SnapshotTimes()
        return change(row, cache: &cache)
    }

    /// The rendered times of the snapshot the previous change row belonged to: rows of one snapshot
    /// are consecutive, so their three time cells are rendered once.
    public struct SnapshotTimes {
        var key: (GatewayID, Int64)?
        var cells: [String] = []

        /// An empty cache.
        public init() {}
    }

    /// A change row's cells, reusing the time cells of the previous row when it is of the same snapshot.
    public func change(_ row: ChangeRow, cache: inout SnapshotTimes) -> [String] {
        if cache.key?.0 != row.gatewayID || cache.key?.1 != row.seq {
            cache.key = (row.gatewayID, row.seq)
            cache.cells = [
                row.lastSeenBefore.map(time) ?? "", time(row.firstSeenAfter),
                timestamp(row.apiUpdatedAt.flatMap { try? Timestamp(parsing: $0) }, raw: row.apiUpdatedAt),
            ]
        }
        var cells: [String] = []
        cells.reserveCapacity(8)
        cells.append(row.gatewayID.rawValue)
        cells.append(row.change.rawValue)
        cells.append(row.field)
        cells.append(row.oldValue ?? "")
        cells.append(row.newValue ?? "")
        cells.append(contentsOf: cache.cells)
        return cells
    }

    /// A timestamp row's cells, in ``ReportView/timestamps`` column order.
    public func timestamp(_ row: TimestampRow) -> [String] {
        [
            row.gatewayID.rawValue, row.field, row.raw, row.timestamp?.utcText ?? "",
            row.timestamp.map { $0.text(in: zone) } ?? "", row.timestamp?.offsetDesignator ?? "",
            row.anomalies.map(\.kind.rawValue).joined(separator: ";"),
        ]
    }

    /// An observation instant in the zone.
    public func time(_ instant: Instant) -> String {
        instant.iso8601(in: zone)
    }

    /// A timestamp from the API in the zone, keeping its digits; the raw text when it cannot be parsed.
    public func timestamp(_ value: Timestamp?, raw: String?) -> String {
        value.map { $0.text(in: zone) } ?? raw ?? ""
    }
}
