import GatewayAuditCore
import GatewayAuditStore

/// Parses the `--since` / `--until` bounds users type.
public enum ReportTime {
    /// An RFC 3339 timestamp as is, or a `YYYY-MM-DD` date in `zone`: its first instant for `since`,
    /// its last nanosecond for `until` (so `--until 2025-03-12` includes the whole day).
    /// - Throws: ``ReportError/invalidTime(_:)``.
    public static func parse(_ text: String, in zone: Zone, endOfDay: Bool) throws(ReportError) -> Instant {
        if let timestamp = try? Timestamp(parsing: text) { return timestamp.instant }
        guard let midnight = try? Timestamp(parsing: text + "T00:00:00Z") else { throw .invalidTime(text) }
        let start = zone.instant(localWallClock: midnight.instant)
        guard endOfDay else { return start }
        let next = zone.instant(localWallClock: midnight.instant.adding(seconds: 86_400))
        return next.adding(seconds: 0, nanoseconds: -1)
    }
}

extension Zone {
    /// The instant whose wall clock in this zone reads `wallClock` (given as if it were UTC); in a
    /// spring-forward gap, the instant just after the gap.
    func instant(localWallClock wallClock: Instant) -> Instant {
        var guess = wallClock.adding(seconds: -Int64(offsetSeconds(at: wallClock)))
        guess = wallClock.adding(seconds: -Int64(offsetSeconds(at: guess)))
        return guess
    }
}
