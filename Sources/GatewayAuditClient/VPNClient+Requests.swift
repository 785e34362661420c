import Foundation
import GatewayAuditCore
import Logging

extension VPNClient {
    /// Sends a request with authentication and the retry policy; returns a 2xx (or a 404 when allowed).
    func perform(_ request: HTTPRequest, allowNotFound: Bool, context: String) async throws(ClientError) -> HTTPResponse {
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        var renewed = false
        while true {
            attempt += 1
            if let deadline, Instant.now >= deadline { throw .deadlineExceeded }
            if Task.isCancelled { throw .transport(.cancelled, attempts: attempt - 1) }
            let authorized = try await authenticator.authorize(request, now: time.now)
            let outcome: Result<HTTPResponse, TransportError>
            do {
                outcome = .success(try await transport.send(authorized, timeout: timeoutForAttempt()))
            } catch {
                outcome = .failure(error)
            }
            var retryAfter: String?
            switch outcome {
            case .success(let response):
                if (200..<300).contains(response.status) || (allowNotFound && response.status == 404) {
                    return response
                }
                let body = ErrorBody(data: response.body)
                let requestID = response.requestID ?? body.requestID
                logger.debug(
                    "request failed",
                    metadata: ["what": "\(context)", "status": "\(response.status)", "code": "\(body.code ?? "-")",
                        "request_id": "\(requestID ?? "-")", "attempt": "\(attempt)"])
                if response.status == 401 || response.status == 403 {
                    if response.status == 401, !renewed, try await authenticator.renewAfterRejection(of: authorized) {
                        renewed = true
                        logger.info("token rejected; obtained a new one from IAM", metadata: ["what": "\(context)"])
                        attempt -= 1
                        continue
                    }
                    throw .authentication(
                        status: response.status, code: body.code, message: body.message, requestID: requestID,
                        variables: credentials.variablesToCheck)
                }
                let error = ClientError.http(status: response.status, code: body.code, message: body.message, requestID: requestID)
                guard RetryPolicy.isRetryable(status: response.status, code: body.code), attempt < retry.maxAttempts else {
                    throw error
                }
                retryAfter = response.headers["retry-after"]
            case .failure(let error):
                logger.debug("no response", metadata: ["what": "\(context)", "error": "\(error)", "attempt": "\(attempt)"])
                if case .cancelled = error { throw .transport(error, attempts: attempt) }
                if case .tls = error { throw .transport(error, attempts: attempt) }
                guard attempt < retry.maxAttempts else { throw .transport(error, attempts: attempt) }
            }
            let wait = retry.delay(afterAttempt: attempt, retryAfter: retryAfter, random: &generator)
            if let deadline, Instant.now.adding(seconds: 0, nanoseconds: Int64(wait * 1e9)) >= deadline {
                throw .deadlineExceeded
            }
            logger.debug("retrying", metadata: ["what": "\(context)", "after_seconds": "\(wait)"])
            do {
                try await sleep(wait)
            } catch {
                throw .transport(.cancelled, attempts: attempt)
            }
        }
    }

    private func timeoutForAttempt() -> Double {
        guard let deadline else { return requestTimeout }
        return max(0.1, min(requestTimeout, deadline.seconds(since: .now)))
    }
}

/// The IAM password-token request (`POST .../v3/auth/tokens`, project scope).
struct IAMTokenRequest: Sendable {
    let credentials: Credentials
    let projectID: String

    func fetch(transport: any Transport, retry: RetryPolicy, timeout: Double, logger: Logger) async throws(ClientError)
        -> (String, Instant?)
    {
        guard case .password(let identity) = credentials else {
            throw .invalidConfiguration("no IAM password credentials")
        }
        let body: JSONValue = .object([
            "auth": .object([
                "identity": .object([
                    "methods": .array([.string("password")]),
                    "password": .object([
                        "user": .object([
                            "name": .string(identity.userName), "password": .string(identity.password),
                            "domain": .object(["name": .string(identity.domainName)]),
                        ])
                    ]),
                ]),
                "scope": .object(["project": .object(["id": .string(projectID)])]),
            ])
        ])
        let request = HTTPRequest(
            method: "POST", url: identity.tokenURL, headers: [("Content-Type", "application/json;charset=utf8")],
            body: Data(body.canonicalJSON.utf8))
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            attempt += 1
            let response: HTTPResponse
            do {
                response = try await transport.send(request, timeout: timeout)
            } catch {
                if attempt >= retry.maxAttempts { throw .transport(error, attempts: attempt) }
                try? await Task.sleep(for: .seconds(retry.delay(afterAttempt: attempt, retryAfter: nil, random: &generator)))
                continue
            }
            if (200..<300).contains(response.status), let token = response.headers["x-subject-token"], !token.isEmpty {
                let expires = (try? JSONValue(data: response.body))?["token"]?["expires_at"]?.stringValue
                logger.debug("obtained IAM token", metadata: ["expires_at": "\(expires ?? "-")"])
                return (token, expires.flatMap { try? Timestamp(parsing: $0).instant })
            }
            let error = ErrorBody(data: response.body)
            if response.status == 400 || response.status == 401 || response.status == 403 {
                throw .authentication(
                    status: response.status, code: error.code, message: error.message, requestID: response.requestID,
                    variables: credentials.variablesToCheck)
            }
            if RetryPolicy.isRetryable(status: response.status, code: error.code), attempt < retry.maxAttempts {
                let wait = retry.delay(afterAttempt: attempt, retryAfter: response.headers["retry-after"], random: &generator)
                try? await Task.sleep(for: .seconds(wait))
                continue
            }
            if (200..<300).contains(response.status) {
                throw .invalidResponse("IAM answered without an X-Subject-Token header", requestID: response.requestID)
            }
            throw .http(status: response.status, code: error.code, message: error.message, requestID: response.requestID)
        }
    }
}
