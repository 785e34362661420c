import GatewayAuditCore
import GatewayAuditStore

/// Output formats.
public enum ReportFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// RFC 4180 CSV, spreadsheet-safe (reports/README.md).
    case csv
    /// One self-contained HTML page.
    case html

    /// File extension.
    public var fileExtension: String { rawValue }
}
