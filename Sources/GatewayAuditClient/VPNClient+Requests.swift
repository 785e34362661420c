import Foundation
import GatewayAuditCore

extension VPNClient {
    /// Sends a VPN API request through the pipeline with authentication; returns a 2xx (or a 404 when allowed).
    /// - Throws: ``ClientError`` from the pipeline.
    func perform(_ request: ClientRequest, allowNotFound: Bool, context: String) async throws(ClientError)
        -> ClientResponse
    {
        try await pipeline.send(
            request, authenticator: authenticator,
            expecting: RequestPipeline.Expectation(allowNotFound: allowNotFound), context: context)
    }
}
