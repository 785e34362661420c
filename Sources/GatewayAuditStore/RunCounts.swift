import GatewayAuditCore

/// Counts of a run's observations by outcome.
public struct RunCounts: Sendable, Hashable, Codable {
    /// Every observation, failed ones included.
    public var observed = 0
    /// Same content as before (and tombstones seen again).
    public var unchanged = 0
    /// New content for a known gateway, or a gone gateway back.
    public var changed = 0
    /// Gateways seen for the first time.
    public var new = 0
    /// Gateways that answered 404 after being present.
    public var gone = 0
    /// Fetches that failed.
    public var failed = 0

    /// Zero counts.
    public init() {}

    /// Adds one outcome.
    public mutating func add(_ outcome: ObservationOutcome) {
        observed += 1
        switch outcome {
        case .new: new += 1
        case .unchanged, .stillGone: unchanged += 1
        case .changed, .reappeared: changed += 1
        case .gone: gone += 1
        case .failed: failed += 1
        }
    }
}
