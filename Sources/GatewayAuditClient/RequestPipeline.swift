import Foundation
import GatewayAuditCore
import Logging

/// The one path every request takes, VPN calls and the IAM token call alike: authentication (when an
/// ``Authenticator`` is given), the transport, retries with backoff and `Retry-After`, the per-attempt
/// timeout and the overall deadline. Written once so that every call follows the same rules: a 401
/// renews an IAM token (see ``maxRenewals``) and is otherwise never retried (it would lock the key), TLS
/// failures are final, and cancellation always ends the call with ``ClientError/cancelled``.
struct RequestPipeline: Sendable {
    let transport: any Transport
    let retry: RetryPolicy
    let requestTimeout: Duration
    /// How long after ``stopwatch`` started no request or wait may go; nil for no limit.
    let deadline: Duration?
    let stopwatch: Stopwatch
    /// What a user should check when credentials are rejected.
    let variablesToCheck: String
    let logger: Logger

    /// What a call accepts besides a 2xx, and which statuses mean "credentials rejected".
    struct Expectation: Sendable {
        /// Whether a 404 from the VPN service (a `VPN.` code: VPN.0004, VPN.0509) is an answer, a gone
        /// resource, rather than an error. A 404 the gateway layer sends (`APIGW.0101`: no such route, a
        /// wrong endpoint path) or one without a code is an error: it says nothing about the resource.
        var allowNotFound = false
        /// Statuses reported as ``ClientError/authentication(status:code:message:requestID:variables:)``.
        var authenticationStatuses: Set<Int> = [401, 403]
    }

    /// Whether a 404's body is the VPN service's own "not found" (any `VPN.` code).
    static func isResourceNotFound(_ body: ErrorBody) -> Bool {
        body.code?.hasPrefix("VPN.") == true
    }

    /// How many times one request may renew its IAM token after a 401. The first rejection always
    /// renews. After that, a rejected token the request waited to be issued is final (IAM's word on these
    /// credentials), but a token it took from the cache may have expired while the request waited (other
    /// requests used it meanwhile, or it was old), so it renews again, up to this many times in all.
    static let maxRenewals = 3

    /// The shortest timeout an attempt gets when the deadline is near.
    static let minimumAttemptTimeout = Duration.milliseconds(100)

    /// Sends `request` until it gets an accepted answer or a final error.
    /// - Throws: ``ClientError``: `.cancelled` as soon as the task is cancelled, `.deadlineExceeded`
    ///   when the next attempt or wait would pass the deadline, `.authentication` on a rejection,
    ///   `.http` for an error status that is final or out of retries, `.transport` when no response came.
    func send(
        _ request: ClientRequest, authenticator: Authenticator?, expecting: Expectation = Expectation(),
        context: String
    ) async throws(ClientError) -> ClientResponse {
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        var renewals = 0
        var announceRenewal = false
        while true {
            attempt += 1
            if Task.isCancelled { throw .cancelled }
            let timeout = try timeoutForAttempt()
            let authorized = try await authenticator?.authorize(request) ?? Authenticator.Authorized(request: request)
            let sent = authorized.request
            if announceRenewal {
                announceRenewal = false
                logger.info("token rejected; obtained a new one from IAM", metadata: ["what": "\(context)"])
            }
            let outcome: Result<ClientResponse, TransportError>
            do {
                outcome = .success(try await transport.send(sent, timeout: timeout))
            } catch {
                outcome = .failure(error)
            }
            var retryAfter: String?
            switch outcome {
            case .success(let response):
                let status = response.status.code
                if (200..<300).contains(status) { return response }
                let body = ErrorBody(data: response.body)
                if expecting.allowNotFound, status == 404, Self.isResourceNotFound(body) { return response }
                let requestID = response.requestID ?? body.requestID
                logger.debug(
                    "request failed",
                    metadata: [
                        "what": "\(context)", "status": "\(status)", "code": "\(body.code ?? "-")",
                        "request_id": "\(requestID ?? "-")", "attempt": "\(attempt)",
                    ])
                if status == 401, renewals == 0 || (!authorized.freshToken && renewals < Self.maxRenewals),
                    let authenticator, await authenticator.renewAfterRejection(of: sent)
                {
                    renewals += 1
                    announceRenewal = true
                    attempt -= 1
                    continue
                }
                if expecting.authenticationStatuses.contains(status) {
                    throw .authentication(
                        status: status, code: body.code, message: body.message, requestID: requestID,
                        variables: variablesToCheck)
                }
                let error = ClientError.http(
                    status: status, code: body.code, message: body.message, requestID: requestID)
                guard RetryPolicy.isRetryable(status: status, code: body.code), attempt < retry.maxAttempts else {
                    throw error
                }
                retryAfter = response.headerFields[.retryAfter]
            case .failure(let error):
                logger.debug(
                    "no response", metadata: ["what": "\(context)", "error": "\(error)", "attempt": "\(attempt)"])
                if case .cancelled = error { throw .cancelled }
                if Task.isCancelled { throw .cancelled }
                if case .tls = error { throw .transport(error, attempts: attempt) }
                guard attempt < retry.maxAttempts else { throw .transport(error, attempts: attempt) }
            }
            let wait = retry.delay(afterAttempt: attempt, retryAfter: retryAfter, random: &generator)
            if let deadline, stopwatch.elapsed + wait >= deadline { throw .deadlineExceeded }
            logger.debug("retrying", metadata: ["what": "\(context)", "after": "\(wait)"])
            do {
                try await stopwatch.sleep(for: wait)
            } catch {
                throw .cancelled
            }
        }
    }

    /// The timeout of the next attempt: the request timeout, shortened to what is left before the deadline.
    private func timeoutForAttempt() throws(ClientError) -> Duration {
        guard let deadline else { return requestTimeout }
        let left = deadline - stopwatch.elapsed
        guard left > .zero else { throw .deadlineExceeded }
        return max(RequestPipeline.minimumAttemptTimeout, min(requestTimeout, left))
    }
}
