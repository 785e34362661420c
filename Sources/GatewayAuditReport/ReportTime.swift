import GatewayAuditCore
import GatewayAuditStore

/// A `--since` / `--until` bound as the user typed it: an RFC 3339 timestamp, or a `YYYY-MM-DD` date,
/// which names a day in the report's zone and so becomes an instant only once the zone is known. A
/// timestamp without an offset (`2025-03-12T08:00:00`) is a wall clock in that zone too, as the date is.
public struct ReportTime: Sendable, Hashable, CustomStringConvertible {
    /// The text as typed (error messages quote it).
    public let text: String
    private let value: Value

    private enum Value: Hashable {
        case instant(Instant)
        /// The day's midnight wall clock, as if it were UTC.
        case day(Instant)
        /// A timestamp without an offset: its wall clock, as if it were UTC.
        case wallClock(Instant)
    }

    /// Reads an RFC 3339 timestamp or a `YYYY-MM-DD` date.
    /// - Throws: ``ReportError/invalidTime(_:)`` for anything else.
    public init(parsing text: String) throws(ReportError) {
        self.text = text
        do {
            let timestamp = try Timestamp(parsing: text)
            value = timestamp.offset == .unstated ? .wallClock(timestamp.instant) : .instant(timestamp.instant)
        } catch {
            do {
                value = .day(try Timestamp(parsing: text + "T00:00:00Z").instant)
            } catch {
                throw .invalidTime(text)
            }
        }
    }

    /// The instant: the timestamp itself, or the date's first instant in `zone`; with `endOfDay`, the
    /// date's last nanosecond (so `--until 2025-03-12` includes the whole day).
    public func instant(in zone: Zone, endOfDay: Bool) -> Instant {
        switch value {
        case .instant(let instant):
            return instant
        case .wallClock(let wallClock):
            return zone.instant(localWallClock: wallClock)
        case .day(let midnight):
            guard endOfDay else { return zone.instant(localWallClock: midnight) }
            let next = zone.instant(localWallClock: midnight.adding(seconds: 86_400))
            return next.adding(seconds: 0, nanoseconds: -1)
        }
    }

    /// Reads `text` and resolves it in `zone` (see ``instant(in:endOfDay:)``).
    /// - Throws: ``ReportError/invalidTime(_:)``.
    public static func parse(_ text: String, in zone: Zone, endOfDay: Bool) throws(ReportError) -> Instant {
        try ReportTime(parsing: text).instant(in: zone, endOfDay: endOfDay)
    }

    /// The text as typed.
    public var description: String { text }
}
