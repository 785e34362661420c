import NIOCore
import Foundation
import NIOSSL
import Synchronization
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// Failures that used to turn into wrong outcomes: a wrong URL, a discarded shutdown error, TLS guessed from a type name.
@Suite("client failures are reported as what they are")
struct ClientFailureTests {
    @Test(
        "an endpoint with a query or fragment is refused before any request, instead of requesting a wrong URL",
        arguments: ["https://vpn.example.com/?region=eu-de", "https://vpn.example.com/#top"])
    func endpointWithQuery(text: String) async throws {
        let sent = Mutex<[String]>([])
        let transport = ClosureTransport { request throws(TransportError) in
            sent.withLock { $0.append(request.url.absoluteString) }
            return ClientResponse(status: 200, body: Data(#"{"customer_gateway":{"id":"x"}}"#.utf8))
        }
        let endpoint = try #require(URL(string: text))
        await #expect(
            throws: ClientError.invalidURL(
                "endpoint \(text) has a query or fragment; pass the API base URL only, e.g. https://vpn.<region>.myhuaweicloud.com"
            )
        ) {
            let client = try VPNClient(
                endpoint: endpoint, projectID: "p", credentials: .token("t"), transport: transport)
            _ = try await client.gateway("x")
        }
        #expect(sent.withLock { $0 }.isEmpty)
    }

    @Test("request URLs keep the endpoint's base path and percent-encode ids as the signer does")
    func requestURLs() async throws {
        let sent = Mutex<[String]>([])
        let transport = ClosureTransport { request throws(TransportError) in
            sent.withLock { $0.append(request.url.absoluteString) }
            return ClientResponse(status: 404, body: Data(#"{"error_code":"VPN.0004"}"#.utf8))
        }
        let client = try VPNClient(
            endpoint: try #require(URL(string: "https://vpn.example.com/base/")), projectID: "p 1",
            credentials: .token("t"),
            transport: transport)
        #expect(try await client.gateway("a b/c:é") == .gone)
        #expect(sent.withLock { $0 } == ["https://vpn.example.com/base/v5/p%201/customer-gateways/a%20b%2Fc%3A%C3%A9"])
    }

    @Test("shutting the HTTP client down a second time reports the failure instead of discarding it")
    func shutdownFailure() async throws {
        let transport = try HTTP1Transport()
        try await transport.shutdown()
        let error = await #expect(throws: ClientError.self) { try await transport.shutdown() }
        guard case .shutdownFailed? = error else {
            Issue.record("expected shutdownFailed, got \(String(describing: error))")
            return
        }
    }

    struct NotReallySSLProblem: Error {}

    @Test("TLS failures are recognised by their NIOSSL types, not by a type name containing SSL")
    func tlsClassification() {
        if case .tls = HTTP1Transport.classify(NIOSSLError.handshakeFailed(.sslError([]))) {
        } else {
            Issue.record("a failed handshake is a TLS failure")
        }
        if case .tls = HTTP1Transport.classify(BoringSSLError.sslError([])) {
        } else {
            Issue.record("BoringSSLError is a TLS failure")
        }
        if case .tls = HTTP1Transport.classify(NotReallySSLProblem()) {
            Issue.record("a type named like SSL is not a TLS failure")
        }
        // A TLS stream cut short is a connection problem worth retrying, not a certificate to fix.
        if case .tls = HTTP1Transport.classify(NIOSSLError.uncleanShutdown) {
            Issue.record("an unclean TLS shutdown is a connection failure")
        }
        #expect(HTTP1Transport.classify(ChannelError.connectTimeout(.seconds(10))) == .timeout)
    }
}
