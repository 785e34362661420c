import GatewayAuditCore
/// A closure-backed transport for tests and tools.
public struct ClosureTransport: Transport {
    private let handler: @Sendable (ClientRequest) async throws(TransportError) -> ClientResponse

    /// Creates a transport answering every request with `handler`.
    public init(_ handler: @escaping @Sendable (ClientRequest) async throws(TransportError) -> ClientResponse) {
        self.handler = handler
    }

    /// Answers with the handler, whatever the timeout.
    /// - Throws: whatever ``TransportError`` the handler throws.
    public func send(_ request: ClientRequest, timeout: Duration) async throws(TransportError) -> ClientResponse {
        try await handler(request)
    }
}
