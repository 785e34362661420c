import Synchronization

/// A clock for tests: sleeping returns at once, moves the clock's time forward by the requested amount
/// and records it, so a test asserts the waits a real clock would have spent (`Retry-After`, backoff,
/// rate limiting) without spending them.
struct RecordingClock: Clock {
    struct Instant: InstantProtocol {
        let offset: Swift.Duration

        func advanced(by duration: Swift.Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Swift.Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private final class State: Sendable {
        let value = Mutex<(now: Instant, sleeps: [Swift.Duration])>((Instant(offset: .zero), []))
    }

    private let state = State()

    var now: Instant { state.value.withLock { $0.now } }
    var minimumResolution: Swift.Duration { .zero }

    /// Every wait requested so far, in order.
    var sleeps: [Swift.Duration] { state.value.withLock { $0.sleeps } }

    func sleep(until deadline: Instant, tolerance: Swift.Duration?) async throws {
        try Task.checkCancellation()
        state.value.withLock { value in
            value.sleeps.append(value.now.duration(to: deadline))
            if deadline > value.now { value.now = deadline }
        }
        await Task.yield()
    }
}
