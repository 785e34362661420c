import Foundation
import GatewayAuditCore

/// When and how long to wait before trying a request again: capped exponential backoff with full
/// jitter, honouring `Retry-After`.
public struct RetryPolicy: Sendable {
    /// Total attempts per request, the first included.
    public var maxAttempts: Int
    /// The first backoff ceiling.
    public var baseDelay: Duration
    /// The largest backoff, and the cap on a server's `Retry-After`.
    public var maxDelay: Duration

    /// Creates a policy (defaults: 5 attempts, 0.5 s doubling up to 30 s).
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(.zero, baseDelay)
        self.maxDelay = max(.zero, maxDelay)
    }

    /// Whether a response status (and API error code) is worth retrying.
    public static func isRetryable(status: Int, code: String?) -> Bool {
        switch status {
        case 429, 425: return true
        case 500...599: return true
        case 400: return code == "VPN.0030"
        default: return false
        }
    }

    /// How long to wait before attempt `attempt + 1` (attempt counts from 1). `Retry-After` wins when
    /// sent, capped at `maxDelay`; otherwise a uniform random value in `0...min(maxDelay, base·2^(attempt-1))`.
    public func delay(
        afterAttempt attempt: Int, retryAfter: String?, now: Date = Date(), random: inout some RandomNumberGenerator
    ) -> Duration {
        if let retryAfter, let wait = RetryPolicy.parseRetryAfter(retryAfter, now: now) {
            return min(max(wait, .zero), maxDelay)
        }
        // 2^32 times any sensible base is far above any cap; the bound keeps the product finite.
        let doublings = min(max(attempt - 1, 0), 32)
        let ceiling = min(maxDelay, baseDelay * (1 << doublings))
        return ceiling * Double.random(in: 0...1, using: &random)
    }

    /// `Retry-After` as a duration: a number of seconds, or an HTTP date (negative when in the past).
    /// Nil when it is neither.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return duration(seconds: seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return duration(seconds: date.timeIntervalSince(now))
    }

    /// A finite number of seconds as a duration, bounded to ±a year so that a hostile header cannot
    /// overflow `Duration`; nil for NaN and infinities.
    private static func duration(seconds: Double) -> Duration? {
        guard seconds.isFinite else { return nil }
        let year = 366.0 * 86_400
        return .seconds(min(max(seconds, -year), year))
    }
}
