import Foundation

/// A point on the UTC time line with nanosecond precision, independent of any offset or zone.
///
/// Stored as whole seconds since 1970-01-01T00:00:00Z plus a nanosecond remainder, so every instant
/// from year 0001 to 9999 is exact (a `Date` is a `Double` and is not).
public struct Instant: Sendable, Hashable, Comparable, Codable {
    /// Whole seconds since the Unix epoch (negative before 1970).
    public let seconds: Int64
    /// Nanoseconds past `seconds`, always in `0..<1_000_000_000`.
    public let nanoseconds: Int32

    /// Creates an instant, normalising a nanosecond value outside `0..<1e9` into the seconds.
    public init(seconds: Int64, nanoseconds: Int64 = 0) {
        let carry = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        self.seconds = seconds + carry
        self.nanoseconds = Int32(nanoseconds - carry * 1_000_000_000)
    }

    /// Creates an instant from nanoseconds since the Unix epoch (the store's integer form).
    public init(nanosecondsSinceEpoch value: Int64) {
        self.init(seconds: 0, nanoseconds: value)
    }

    /// Creates an instant from a Foundation `Date`, rounded to the microsecond a `Double` can hold.
    public init(_ date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        self.init(seconds: 0, nanoseconds: Int64(micros) * 1_000)
    }

    /// Nanoseconds since the Unix epoch, or nil outside the years 1678–2261 that an `Int64` can hold.
    public var nanosecondsSinceEpoch: Int64? {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return nil }
        let (sum, overflow2) = product.addingReportingOverflow(Int64(nanoseconds))
        return overflow2 ? nil : sum
    }

    /// The current instant from the system clock.
    public static var now: Instant { Instant(Date()) }

    /// The instant `nanoseconds` later (or earlier when negative).
    public func adding(seconds delta: Int64, nanoseconds deltaNanos: Int64 = 0) -> Instant {
        Instant(seconds: seconds + delta, nanoseconds: Int64(nanoseconds) + deltaNanos)
    }

    /// Seconds from `other` to `self` as a `Double` (positive when `self` is later).
    public func seconds(since other: Instant) -> Double {
        Double(seconds - other.seconds) + Double(Int64(nanoseconds) - Int64(other.nanoseconds)) / 1e9
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}
