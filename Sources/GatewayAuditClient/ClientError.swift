import Foundation
import GatewayAuditCore

/// Why a request to the VPN API (or IAM) did not produce a usable answer.
public enum ClientError: Error, Sendable, Hashable {
    /// The API answered with an error status; code, message and request id from its body and headers.
    case http(status: Int, code: String?, message: String?, requestID: String?)
    /// 401/403: the credentials were rejected. `variables` names what the user should check.
    case authentication(status: Int, code: String?, message: String?, requestID: String?, variables: String)
    /// No response after the last retry (timeouts, resets, TLS).
    case transport(TransportError, attempts: Int)
    /// A 2xx body that is not what the API sends (truncated, not JSON, no gateway).
    case invalidResponse(String, requestID: String?)
    /// The endpoint is refused before any request: plain http to a non-loopback host, or not a URL.
    case insecureEndpoint(String)
    /// No request URL can be built from the endpoint (it has a query or fragment, or is malformed).
    case invalidURL(String)
    /// The run's overall deadline passed.
    case deadlineExceeded
    /// The task was cancelled (the run is stopping); nothing more was sent.
    case cancelled
    /// The credentials or options given cannot work (missing or conflicting values).
    case invalidConfiguration(String)
    /// Closing the HTTP client failed; connections may have been left open until the process exits.
    case shutdownFailed(String)

    /// True for the errors that must stop the whole run at once.
    public var stopsRun: Bool {
        switch self {
        case .authentication, .insecureEndpoint, .invalidURL, .invalidConfiguration, .deadlineExceeded, .cancelled:
            return true
        case .transport(.tls, _): return true
        default: return false
        }
    }
}

extension ClientError: CustomStringConvertible {
    /// What went wrong and what to do next.
    public var description: String {
        switch self {
        case .http(let status, let code, let message, let requestID):
            return "HTTP \(status)" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
                + (requestID.map { " (request id \($0))" } ?? "")
        case .authentication(let status, let code, let message, let requestID, let variables):
            return "authentication rejected (HTTP \(status)" + (code.map { " \($0)" } ?? "") + ")"
                + (message.map { ": \($0)" } ?? "") + (requestID.map { " (request id \($0))" } ?? "")
                + "; check \(variables). The run stopped without retrying, to avoid locking the key"
        case .transport(let error, let attempts):
            return "no response after \(attempts) attempt(s): \(error)"
        case .invalidResponse(let detail, let requestID):
            return "unexpected response: \(detail)" + (requestID.map { " (request id \($0))" } ?? "")
        case .insecureEndpoint(let detail), .invalidURL(let detail), .invalidConfiguration(let detail):
            return detail
        case .deadlineExceeded:
            return "the run's deadline passed before every gateway was fetched; raise --deadline"
        case .cancelled:
            return "the run was cancelled before every gateway was fetched; run it again to fetch the rest"
        case .shutdownFailed(let detail):
            return "closing the HTTP client failed (\(detail)); connections stay open until the process exits"
        }
    }
}

extension ClientError: LocalizedError {
    /// The ``description``.
    public var errorDescription: String? { description }
}
