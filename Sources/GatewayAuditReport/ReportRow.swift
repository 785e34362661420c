import GatewayAuditCore
import GatewayAuditStore

/// A read-model row that a report view renders: one per view (``HistoryRow``, ``ChangeRow``,
/// ``TimestampRow``). Its conformance holds the view's column list and is the view's only read of the
/// store, so the export contract and the store access of each view live in one file.
public protocol ReportRow: Sendable {
    /// The view's columns, in export-contract order (reports/README.md): append only.
    static var columns: [ReportColumn<Self>] { get }

    /// Streams the rows `filter` selects, in report order.
    /// - Throws: ``StoreError`` when the database cannot be read, or what `body` throws.
    static func forEach(in store: any HistoryReading, _ filter: ReportFilter, _ body: (Self) throws -> Void) throws

    /// The gateway the row belongs to.
    var gatewayID: GatewayID { get }
    /// The snapshot the row belongs to: consecutive rows of one snapshot share its time cells.
    var seq: Int64 { get }
    /// Whether the row stands for a gone gateway (the HTML report greys it out).
    var isGone: Bool { get }
}
