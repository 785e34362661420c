import Foundation
import GatewayAuditCore
import HTTPTypes

/// A whole response: status, header fields and body.
public struct ClientResponse: Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// The header fields (names compare case-insensitively).
    public var headerFields: HTTPFields
    /// The body bytes.
    public var body: Data

    /// Creates a response.
    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: Data = Data()) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }

    /// The `X-Request-Id` header, if any.
    public var requestID: String? { headerFields.value(named: "X-Request-Id") }
}
