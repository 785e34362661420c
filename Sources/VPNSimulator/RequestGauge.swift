import Synchronization

/// Counts the API requests a simulator with latency is holding at once, and the most it has held: what
/// shows that a client really keeps N requests in flight (a timing would depend on the machine's load).
public final class RequestGauge: Sendable {
    private let counts = Mutex<(current: Int, peak: Int)>((0, 0))

    /// Creates a gauge at zero.
    public init() {}

    /// The most requests held at once since the start or the last ``reset()``.
    public var peak: Int { counts.withLock { $0.peak } }

    /// Starts a new peak (requests still held keep counting).
    public func reset() {
        counts.withLock { $0.peak = $0.current }
    }

    func enter() {
        counts.withLock { counts in
            counts.current += 1
            counts.peak = max(counts.peak, counts.current)
        }
    }

    func leave() {
        counts.withLock { $0.current -= 1 }
    }
}
