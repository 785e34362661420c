import GatewayAuditCore
import GatewayAuditStore

/// The three report views; each view's columns are its row type's ``ReportRow/columns``.
public enum ReportView: String, Sendable, Hashable, Codable, CaseIterable {
    /// One row per stored snapshot and per tombstone (``HistoryRow``).
    case history
    /// One row per field change and per gateway event (``ChangeRow``).
    case changes
    /// One row per timestamp field of each snapshot (``TimestampRow``).
    case timestamps
    /// One row per window of an operational status (``StatusRow``).
    case status

    /// The column names, in order. Part of the export contract: append only.
    public var columns: [String] {
        switch self {
        case .history: return HistoryRow.columns.map(\.name)
        case .changes: return ChangeRow.columns.map(\.name)
        case .timestamps: return TimestampRow.columns.map(\.name)
        case .status: return StatusRow.columns.map(\.name)
        }
    }

    /// The column names for resources of `kind` (only the history view's columns depend on the kind).
    public func columns(for kind: ResourceKind) -> [String] {
        guard self == .history else { return columns }
        switch kind {
        case .customerGateway: return HistoryRow.columns.map(\.name)
        case .vpnGateway: return VPNGatewayHistoryRow.columns.map(\.name)
        case .vpnConnection: return ConnectionHistoryRow.columns.map(\.name)
        }
    }

    /// A human title for headings.
    public var title: String {
        switch self {
        case .history: return "Snapshot history"
        case .changes: return "Changes"
        case .timestamps: return "Timestamps"
        case .status: return "Status windows"
        }
    }
}
