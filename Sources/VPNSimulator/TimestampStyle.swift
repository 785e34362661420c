import GatewayAuditCore

/// How the simulator writes a timestamp it creates: how many fraction digits and which offset
/// designator (`Z`, `+02:00`, `+0800`, or `""` for none), as real responses vary.
public struct TimestampStyle: Sendable, Hashable, Codable {
    /// Digits after the seconds, 0 to 9 (truncating).
    public var fractionDigits: Int
    /// The designator written after the time. A numeric one renders the instant's local digits there.
    public var designator: String

    /// Creates a style.
    public init(fractionDigits: Int = 3, designator: String = "Z") {
        self.fractionDigits = fractionDigits
        self.designator = designator
    }

    /// `…T13:19:37.335Z`, the form the docs promise.
    public static let milliseconds = TimestampStyle()

    /// The offset the designator states, in seconds (0 for `Z` and none).
    public var offsetSeconds: Int {
        (try? Timestamp(parsing: "2000-01-01T00:00:00" + designator))?.offset.seconds ?? 0
    }

    /// Renders an instant in this style: the local digits at the designator's offset.
    public func render(_ instant: Instant) -> String {
        let shifted = instant.adding(seconds: Int64(offsetSeconds))
        let text = shifted.iso8601(in: .utc, fractionDigits: max(0, min(9, fractionDigits)))
        return String(text.dropLast()) + designator
    }

    /// The style a timestamp text was written in.
    public init(of timestamp: Timestamp) {
        self.init(fractionDigits: timestamp.fractionDigits.count, designator: timestamp.offsetDesignator)
    }

    /// The same wall-clock digits and fraction as `timestamp` under another designator: a relabelling,
    /// which denotes a different instant unless the two designators state the same offset.
    public static func relabel(_ timestamp: Timestamp, designator: String) -> String {
        timestamp.wallClock + (timestamp.fractionDigits.isEmpty ? "" : "." + timestamp.fractionDigits) + designator
    }
}
