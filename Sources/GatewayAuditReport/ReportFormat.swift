import GatewayAuditCore
import GatewayAuditStore

/// Output formats.
public enum ReportFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// RFC 4180 CSV, spreadsheet-safe (reports/README.md).
    case csv
    /// One self-contained HTML page.
    case html
    /// NDJSON: one object per row, keys the column names (reports/README.md).
    case json

    /// File extension: `csv`, `html`, or `ndjson` for the JSON twin (one object per line).
    public var fileExtension: String { self == .json ? "ndjson" : rawValue }
}
