import GatewayAuditCore
/// Sends requests. The production implementation is ``HTTP1Transport``; tests inject
/// small closure-backed doubles (``ClosureTransport``) to produce any fault without a server.
public protocol Transport: Sendable {
    /// Sends `request` and returns the whole response.
    /// - Parameter timeout: how long this one attempt may take.
    /// - Throws: ``TransportError`` when no response arrived.
    func send(_ request: ClientRequest, timeout: Duration) async throws(TransportError) -> ClientResponse
}
