import Synchronization

/// Counts the API requests a simulator with latency is holding at once, and the most it has held: what
/// shows that a client really keeps N requests in flight (a timing would depend on the machine's load).
/// It also sums how long each hold took, so a bench can show the latency the requests really met.
public final class RequestGauge: Sendable {
    private struct Counts {
        var current = 0
        var peak = 0
        var held = 0
        var heldTotal = Duration.zero
    }

    private let counts = Mutex(Counts())

    /// Creates a gauge at zero.
    public init() {}

    /// The most requests held at once since the start or the last ``reset()``.
    public var peak: Int { counts.withLock { $0.peak } }

    /// The requests whose hold ended since the start or the last ``reset()``, and the mean time one was
    /// held (zero when none was).
    public var holds: (requests: Int, mean: Duration) {
        counts.withLock { counts in
            (counts.held, counts.held == 0 ? .zero : counts.heldTotal / counts.held)
        }
    }

    /// Starts a new peak (requests still held keep counting) and a new mean.
    public func reset() {
        counts.withLock {
            $0.peak = $0.current
            $0.held = 0
            $0.heldTotal = .zero
        }
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

    /// Counts a hold that lasted `duration` (a wait that failed, the server going down, is not counted).
    func held(_ duration: Duration) {
        counts.withLock {
            $0.held += 1
            $0.heldTotal += duration
        }
    }
}
