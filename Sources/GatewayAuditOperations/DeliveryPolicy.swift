/// How hard a notification or heartbeat is pushed: attempts, backoff and one overall time budget.
public struct DeliveryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The first backoff ceiling in seconds; it doubles per attempt (full jitter).
    public var baseDelay: Double
    /// The largest backoff in seconds.
    public var maxDelay: Double
    /// Seconds the whole delivery may take, retries and waits included; the run never waits longer.
    public var timeout: Double

    /// Creates a policy (defaults: 5 attempts, 0.5 s doubling up to 4 s, 30 s in all).
    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 4, timeout: Double = 30) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.timeout = max(0.001, timeout)
    }

    /// Heartbeat pings: 3 attempts within 10 s, so a slow ping service never holds a nightly job.
    public static let heartbeat = DeliveryPolicy(maxAttempts: 3, baseDelay: 0.5, maxDelay: 2, timeout: 10)

    /// Whether an HTTP status is worth another attempt (server trouble, throttling, request timeout).
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 425 || status == 429 || (500...599).contains(status)
    }
}
