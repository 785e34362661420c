#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Takes `flock(descriptor, LOCK_EX)` without blocking a thread: tries, then polls every 20 ms on `clock`
/// until it is taken or `wait` has passed. Waited time is read from the clock, not summed from the steps: a
/// loaded machine that wakes late must not stretch the wait past what was asked. Other tasks (an in-process
/// simulator, a progress display) keep running meanwhile. The run lock and the notification ledger wait so.
/// - Returns: true when the lock is held; false when `wait` passed first.
/// - Throws: `CancellationError` when the task is cancelled while waiting.
package func lockExclusively(
    _ descriptor: Int32, wait: Duration, clock: any Clock<Duration> = ContinuousClock()
) async throws -> Bool {
    let stopwatch = Stopwatch(clock: clock)
    let step = Duration.milliseconds(20)
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
        let waited = stopwatch.elapsed
        if waited >= wait { return false }
        try await stopwatch.sleep(for: min(step, wait - waited))
    }
    return true
}
