import GatewayAuditCore
import GatewayAuditStore

/// Renders the times of report cells in one zone.
public struct ReportCells: Sendable {
    /// The zone every time column (except `raw`) is rendered in.
    public let zone: Zone

    /// Creates a cell formatter for `zone`.
    public init(zone: Zone) {
        self.zone = zone
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
