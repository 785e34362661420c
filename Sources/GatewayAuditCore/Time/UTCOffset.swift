/// The offset designator a timestamp was sent with.
public enum UTCOffset: Sendable, Hashable, Codable {
    /// No designator at all (`2024-05-21T09:03:41.000000`): read as UTC, but remembered as unstated.
    case unstated
    /// `Z` or `z`.
    case zulu
    /// A numeric offset (`+02:00`, `-0330`, `+00:00`), east of UTC positive, in seconds.
    case numeric(seconds: Int)

    /// The offset in seconds that was applied to reach UTC (0 for `unstated` and `zulu`).
    public var seconds: Int {
        if case .numeric(let seconds) = self { return seconds }
        return 0
    }

    /// True when the text stated an offset (`Z` or numeric).
    public var isStated: Bool { self != .unstated }
}
