import AsyncHTTPClient
import Foundation
import GatewayAuditCore
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOSSL

/// The production transport: AsyncHTTPClient with connection pooling, certificate verification on,
/// and optionally an extra trusted CA bundle for private clouds.
public final class AsyncHTTPClientTransport: Transport {
    private let client: HTTPClient
    /// Largest response body accepted (a v5 list page of 200 gateways is far below).
    private let maximumBodyBytes = 32 << 20

    /// The most connections kept to one host by default: `collect --concurrency` allows up to 64.
    public static let defaultConnectionsPerHost = 64

    /// Creates a transport; `caFile` adds a PEM bundle to the trusted roots.
    /// - Parameter connectionsPerHost: connections opened to one host at most; a request beyond them
    ///   waits for one to be free. AsyncHTTPClient's own default of 8 held `--concurrency 32` at 8
    ///   requests in flight (a quarter of the speed against a distant API). Connections are only opened
    ///   while that many requests are in flight, so a lower concurrency opens fewer.
    /// - Throws: ``ClientError/invalidConfiguration(_:)`` when the CA file cannot be read.
    public init(caFile: String? = nil, connectionsPerHost: Int = defaultConnectionsPerHost) throws(ClientError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                if certificates.isEmpty {
                    throw ClientError.invalidConfiguration("--ca-file \(caFile) holds no PEM certificate")
                }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch let error as ClientError {
                throw error
            } catch {
                throw .invalidConfiguration("cannot read --ca-file \(caFile): \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        // AsyncHTTPClient's deadline ends when the response head arrives: `send` bounds the body by the same
        // deadline (`--timeout`), checked as its parts arrive, and the idle read timeout ends a body or
        // connection that goes silent.
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        // No spans: nothing here records them, and making one per request costs CPU on the event loop.
        configuration.tracing.tracer = nil
        configuration.httpVersion = .http1Only
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connectionsPerHost)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes pooled connections; call once when done.
    /// - Throws: ``ClientError/shutdownFailed(_:)`` when AsyncHTTPClient reports a failure (e.g. it
    ///   was already shut down); the caller logs it once.
    public func shutdown() async throws(ClientError) {
        do {
            try await client.shutdown()
        } catch {
            throw .shutdownFailed("\(error)")
        }
    }

    /// Sends one request with AsyncHTTPClient: `timeout` bounds the exchange from sending to the response
    /// body's last byte (a body that goes silent ends after 60 s without a byte; see `collect(_:by:)`).
    /// - Throws: ``TransportError``, classified from AsyncHTTPClient's and NIOSSL's errors; `.timeout` when
    ///   the answer is not complete in time, even if it still trickles in.
    public func send(_ request: ClientRequest, timeout: Duration) async throws(TransportError) -> ClientResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headerFields { outgoing.headers.add(name: field.name.rawName, value: field.value) }
        if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        let deadline = NIODeadline.now() + .nanoseconds(timeout.clampedNanoseconds)
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            let body = try await collect(response, by: deadline)
            var fields = HTTPFields()
            for header in response.headers {
                if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
            }
            return ClientResponse(
                status: HTTPResponse.Status(code: Int(response.status.code)), headerFields: fields,
                body: Data(body.readableBytesView))
        } catch {
            throw AsyncHTTPClientTransport.classify(error)
        }
    }

    /// The body, read by `deadline`: AsyncHTTPClient stops timing a request when its head arrives.
    ///
    /// The deadline is checked as each part of the body arrives, so a body still arriving when it passes
    /// ends at its next byte; a body that goes silent ends with the idle read timer (60 s). A timer raced
    /// against each read would also end a silent body at the deadline, but cost two tasks and a timer per
    /// request: the bench's HTTP client alone took 139–208 µs of CPU per request with it against
    /// 126–148 µs without (three runs each, 2026-11-30). As AsyncHTTPClient's own `collect(upTo:)`, a body
    /// that announces more than the limit is refused before it is read.
    private func collect(_ response: HTTPClientResponse, by deadline: NIODeadline) async throws -> ByteBuffer {
        let limit = maximumBodyBytes
        if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limit {
            throw NIOTooManyBytesError(maxBytes: limit)
        }
        var parts = response.body.makeAsyncIterator()
        // The first part is the whole body of most answers: kept as it is, never copied.
        guard var collected = try await parts.next() else { return ByteBuffer() }
        guard collected.readableBytes <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
        while true {
            if NIODeadline.now() > deadline { throw HTTPClientError.deadlineExceeded }
            guard var part = try await parts.next() else { return collected }
            guard collected.readableBytes + part.readableBytes <= limit else {
                throw NIOTooManyBytesError(maxBytes: limit)
            }
            collected.writeBuffer(&part)
        }
    }

    /// Maps AsyncHTTPClient and NIOSSL errors to ``TransportError`` by their types and cases: a
    /// certificate or handshake failure is `.tls` (final: the user must fix trust), a TLS stream cut
    /// short is a retryable `.connection`, timeouts are `.timeout`.
    static func classify(_ error: any Error) -> TransportError {
        switch error {
        case is CancellationError:
            return .cancelled
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .tlsHandshakeTimeout: return .timeout
            case .cancelled: return .cancelled
            default: return .connection("\(error)")
            }
        case let error as NIOSSLError:
            switch error {
            case .uncleanShutdown, .readInInvalidTLSState, .writeDuringTLSShutdown: return .connection("\(error)")
            default: return .tls("\(error)")
            }
        case is BoringSSLError, is NIOSSLExtraError:
            return .tls("\(error)")
        default:
            return .connection("\(error)")
        }
    }
}
