import GatewayAuditCore
import GatewayAuditStore

/// The three report views and their column contracts (documented in reports/README.md).
public enum ReportView: String, Sendable, Hashable, CaseIterable {
    /// One row per stored snapshot and per tombstone.
    case history
    /// One row per field change and per gateway event.
    case changes
    /// One row per timestamp field of each snapshot.
    case timestamps

    /// The column names, in order. Part of the export contract: append only.
    public var columns: [String] {
        switch self {
        case .history:
            return [
                "gateway_id", "state", "first_seen", "last_seen", "name", "id_type", "id_value", "bgp_asn",
                "route_mode", "ip", "ca_serial_number", "ca_expire_time", "tags", "created_at", "updated_at",
                "content_sha256",
            ]
        case .changes:
            return [
                "gateway_id", "change", "field", "old_value", "new_value", "last_seen_before", "first_seen_after",
                "api_updated_at",
            ]
        case .timestamps:
            return ["gateway_id", "field", "raw", "utc", "local", "offset_sent", "anomaly"]
        }
    }

    /// A human title for headings.
    public var title: String {
        switch self {
        case .history: return "Snapshot history"
        case .changes: return "Changes"
        case .timestamps: return "Timestamps"
        }
    }
}

/// Output formats.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
    case csv, html

    /// File extension.
    public var fileExtension: String { rawValue }
}
