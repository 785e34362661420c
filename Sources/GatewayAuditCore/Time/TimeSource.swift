/// Where "now" comes from: the system clock in production, a simulated night in the demo and tests.
public protocol TimeSource: Sendable {
    /// The current instant.
    var now: Instant { get }
}

/// The system's real-time clock.
public struct SystemTime: TimeSource {
    /// Creates the system clock.
    public init() {}

    public var now: Instant { .now }
}

/// A clock that starts at a chosen instant and runs at real speed from there.
public struct OffsetTime: TimeSource {
    private let base: Instant
    private let started: ContinuousClock.Instant

    /// A clock reading `base` now.
    public init(startingAt base: Instant) {
        self.base = base
        started = .now
    }

    public var now: Instant {
        let elapsed = started.duration(to: .now).components
        return base.adding(seconds: elapsed.seconds, nanoseconds: elapsed.attoseconds / 1_000_000_000)
    }
}

/// A clock that always reads the same instant (a simulated night's run time).
public struct FixedTime: TimeSource {
    /// The instant it reads.
    public let now: Instant

    /// A clock stopped at `instant`.
    public init(_ instant: Instant) {
        now = instant
    }
}
