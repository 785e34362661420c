import Foundation
import HTTPTypes
import GatewayAuditClient
import GatewayAuditCore

/// Sends one request to a webhook with retries and backoff inside the policy's time budget.
/// Never throws: the outcome says what happened, so a delivery can never change a run's result.
public struct WebhookSender: Sendable {
    /// The transport (``HTTP1Transport`` in production: certificate verification on, no redirects).
    let transport: any Transport
    /// Attempts, backoff and budget.
    let policy: DeliveryPolicy

    /// Creates a sender.
    public init(transport: any Transport, policy: DeliveryPolicy) {
        self.transport = transport
        self.policy = policy
    }

    /// How a delivery ended.
    public enum Outcome: Sendable, Hashable {
        /// A 2xx answer after `attempts` attempts.
        case delivered(attempts: Int)
        /// Given up; `reason` is free of the URL's secret parts.
        case failed(attempts: Int, reason: String)
        /// The webhook answered with a final error (a 4xx other than 408, 425 and 429): reachable, but it
        /// will not take this body.
        case refused(attempts: Int, reason: String)
    }

    /// POSTs `body` to `target`, retrying 408/425/429/5xx, timeouts and connection errors with
    /// capped exponential backoff and full jitter, until a 2xx, a final error, the attempts or the time run out.
    public func post(_ body: Data, contentType: String, to target: WebhookURL) async -> Outcome {
        await send(.post, body, contentType: contentType, to: target)
    }

    /// Sends `method` (POST with `body`, or GET without one) to `target`, retried as ``post(_:contentType:to:)``.
    public func send(
        _ method: HTTPRequest.Method, _ body: Data = Data(), contentType: String? = nil, to target: WebhookURL
    )
        async -> Outcome
    {
        let deadline = ContinuousClock.now + .milliseconds(Int64(policy.timeout * 1000))
        var attempt = 0
        var lastReason = "no attempt made"
        var random = SystemRandomNumberGenerator()
        while attempt < policy.maxAttempts {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .milliseconds(1) else { break }
            attempt += 1
            var fields = HTTPFields()
            if let contentType { fields[.contentType] = contentType }
            fields[.userAgent] = "gateway-audit/\(GatewayAuditVersion.current)"
            let request = ClientRequest(method: method, url: target.url, headerFields: fields, body: body)
            do {
                let response = try await transport.send(request, timeout: remaining)
                let status = response.status.code
                if (200...299).contains(status) { return .delivered(attempts: attempt) }
                lastReason = "HTTP \(status)"
                if !DeliveryPolicy.isRetryable(status: status) {
                    return .refused(attempts: attempt, reason: lastReason)
                }
            } catch {
                switch error {
                case .timeout: lastReason = "no answer in time"
                case .cancelled: return .failed(attempts: attempt, reason: "cancelled")
                case .tls(let detail): return .failed(attempts: attempt, reason: "TLS failed: \(detail)")
                case .connection(let detail): lastReason = "connection failed: \(detail)"
                }
            }
            guard attempt < policy.maxAttempts else { break }
            let ceiling = min(policy.maxDelay, policy.baseDelay * pow(2, Double(attempt - 1)))
            let wait = Duration.milliseconds(Int64(Double.random(in: 0...ceiling, using: &random) * 1000))
            let left = ContinuousClock.now.duration(to: deadline)
            guard wait < left else { break }
            do {
                try await Task.sleep(for: wait)
            } catch {
                return .failed(attempts: attempt, reason: "cancelled")
            }
        }
        let spent = ContinuousClock.now.duration(to: deadline) <= .milliseconds(1)
        return .failed(
            attempts: attempt,
            reason: spent ? "\(lastReason); gave up after \(Self.format(policy.timeout)) s" : lastReason)
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
