import GatewayAuditCore
import GatewayAuditStore
import Synchronization

/// Renders the times of report cells in one zone.
public struct ReportCells: Sendable {
    /// The zone every time column (except `raw`) is rendered in.
    public let zone: Zone
    /// Rows come ordered by time, so neighbours share their instants: the last few rendered are kept.
    private let recent = RecentTimeTexts()

    /// Creates a cell formatter for `zone`.
    public init(zone: Zone) {
        self.zone = zone
    }

    /// An observation instant in the zone.
    public func time(_ instant: Instant) -> String {
        recent.text(for: instant, digits: nil) { instant.iso8601(in: zone) }
    }

    /// A timestamp from the API in the zone, keeping its digits; the raw text when it cannot be parsed.
    public func timestamp(_ value: Timestamp?, raw: String?) -> String {
        guard let value else { return raw ?? "" }
        return recent.text(for: value.instant, digits: value.fractionDigits.count) { value.text(in: zone) }
    }
}

/// The texts of the last four instants a ``ReportCells`` rendered (one zone), by instant and digits.
private final class RecentTimeTexts: Sendable {
    private struct Entry {
        let instant: Instant
        let digits: Int?
        let text: String
    }

    private let entries = Mutex<[Entry]>([])

    func text(for instant: Instant, digits: Int?, render: () -> String) -> String {
        if let hit = entries.withLock({ $0.last { $0.instant == instant && $0.digits == digits } }) { return hit.text }
        let text = render()
        entries.withLock { entries in
            if entries.count == 4 { entries.removeFirst() }
            entries.append(Entry(instant: instant, digits: digits, text: text))
        }
        return text
    }
}
