/// The one injected clock of a run (client, rate limiter, run duration): measures time elapsed since it was started and sleeps, both on an injected
/// `Clock`, so tests can use a clock that records waits instead of spending them.
package struct Stopwatch: Sendable {
    /// The clock it reads and sleeps on.
    package let clock: any Clock<Duration>
    private let read: @Sendable () -> Duration

    /// Starts measuring now.
    package init(clock: any Clock<Duration>) {
        self.clock = clock
        read = Stopwatch.reader(for: clock)
    }

    /// Time elapsed since the stopwatch was started.
    package var elapsed: Duration { read() }

    /// Waits on the clock.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    package func sleep(for duration: Duration) async throws {
        try await clock.sleep(for: duration)
    }

    private static func reader<C: Clock<Duration>>(for clock: C) -> @Sendable () -> Duration {
        let start = clock.now
        return { start.duration(to: clock.now) }
    }
}
