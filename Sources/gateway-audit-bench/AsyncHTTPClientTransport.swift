import AsyncHTTPClient
import Foundation
import GatewayAuditClient
import HTTPTypes
import NIOCore
import NIOHTTP1

/// AsyncHTTPClient, configured as the collector had it before ``HTTP1Transport`` (HTTP/1.1 only, no
/// tracing, no redirects, up to `connectionsPerHost` connections, each body read whole by its deadline):
/// only the floor row uses it, to measure the collector's own client beside the one it replaced.
final class AsyncHTTPClientTransport: Transport {
    private let client: HTTPClient

    init(connectionsPerHost: Int) {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        configuration.tracing.tracer = nil
        configuration.httpVersion = .http1Only
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connectionsPerHost)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async throws { try await client.shutdown() }

    func send(_ request: ClientRequest, timeout: Duration) async throws(TransportError) -> ClientResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headerFields { outgoing.headers.add(name: field.name.rawName, value: field.value) }
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout.components.seconds) * 1_000)
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            var body = ByteBuffer()
            for try await var part in response.body {
                if NIODeadline.now() > deadline { throw HTTPClientError.deadlineExceeded }
                body.writeBuffer(&part)
            }
            return ClientResponse(
                status: HTTPResponse.Status(code: Int(response.status.code)), body: Data(body.readableBytesView))
        } catch {
            throw .connection("\(error)")
        }
    }
}
