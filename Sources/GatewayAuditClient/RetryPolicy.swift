import Foundation
import GatewayAuditCore

/// When and how long to wait before trying a request again: capped exponential backoff with full
/// jitter, honouring `Retry-After`.
public struct RetryPolicy: Sendable {
    /// Total attempts per request, the first included.
    public var maxAttempts: Int
    /// The first backoff ceiling, in seconds.
    public var baseDelay: Double
    /// The largest backoff, in seconds.
    public var maxDelay: Double

    /// Creates a policy (defaults: 5 attempts, 0.5 s doubling up to 30 s).
    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
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

    /// Seconds to wait before attempt `attempt + 1` (attempt counts from 1). `Retry-After` wins when
    /// sent, capped at `maxDelay`; otherwise a uniform random value in `0...min(maxDelay, base·2^(attempt-1))`.
    public func delay(afterAttempt attempt: Int, retryAfter: String?, now: Date = Date(),
        random: inout some RandomNumberGenerator) -> Double {
        if let retryAfter, let seconds = RetryPolicy.parseRetryAfter(retryAfter, now: now) {
            return min(max(seconds, 0), maxDelay)
        }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return Double.random(in: 0...ceiling, using: &random)
    }

    /// `Retry-After` as seconds: a number of seconds, or an HTTP date.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return date.timeIntervalSince(now)
    }
}
