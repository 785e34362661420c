import Foundation
import GatewayAuditCore
import HTTPTypes

/// One request as the client builds it: method, full URL, header fields and body. Authentication
/// headers are added by the request pipeline just before each attempt.
public struct ClientRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: HTTPRequest.Method
    /// The full URL, path and query percent-encoded as sent.
    public var url: URL
    /// Header fields in the order they are sent (names compare case-insensitively).
    public var headerFields: HTTPFields
    /// The body (empty for none).
    public var body: Data

    /// Creates a request.
    public init(method: HTTPRequest.Method, url: URL, headerFields: HTTPFields = [:], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headerFields = headerFields
        self.body = body
    }
}
