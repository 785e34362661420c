import Foundation
import GatewayAuditCore

/// One HTTP request as the client builds it, before authentication headers are added.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The full URL, path and query percent-encoded as sent.
    public var url: URL
    /// Headers in the order they are sent.
    public var headers: [(name: String, value: String)]
    /// The body (empty for none).
    public var body: Data

    /// Creates a request.
    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A response: status, headers (names lower-cased) and the whole body.
public struct HTTPResponse: Sendable {
    /// The status code.
    public let status: Int
    /// Header values by lower-cased name (the first of repeated headers).
    public let headers: [String: String]
    /// The body bytes.
    public let body: Data

    /// Creates a response.
    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        var lowered: [String: String] = [:]
        for (name, value) in headers where lowered[name.lowercased()] == nil { lowered[name.lowercased()] = value }
        self.headers = lowered
        self.body = body
    }

    /// The `X-Request-Id` header, if any.
    public var requestID: String? { headers["x-request-id"] }
}

/// Sends requests. The production implementation is ``AsyncHTTPClientTransport``; tests inject
/// small closure-backed doubles to produce any fault without a server.
public protocol Transport: Sendable {
    /// Sends `request` and returns the whole response, or throws ``TransportError``.
    func send(_ request: HTTPRequest, timeout: Double) async throws(TransportError) -> HTTPResponse
}

/// Why no HTTP response arrived.
public enum TransportError: Error, Sendable, Hashable {
    /// No answer within the per-request timeout.
    case timeout
    /// The connection failed or was reset; the text names the cause (no secrets).
    case connection(String)
    /// TLS failed: an untrusted or invalid certificate, or a handshake error.
    case tls(String)
    /// The task was cancelled (the run is stopping).
    case cancelled
}

/// A closure-backed transport for tests and tools.
public struct ClosureTransport: Transport {
    private let handler: @Sendable (HTTPRequest) async throws(TransportError) -> HTTPResponse

    /// Creates a transport answering every request with `handler`.
    public init(_ handler: @escaping @Sendable (HTTPRequest) async throws(TransportError) -> HTTPResponse) {
        self.handler = handler
    }

    public func send(_ request: HTTPRequest, timeout: Double) async throws(TransportError) -> HTTPResponse {
        try await handler(request)
    }
}
