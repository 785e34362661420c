import Foundation
import GatewayAuditCore
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOConcurrencyHelpers

/// The production transport: HTTP/1.1 over NIO channels kept alive per host, certificate verification on,
/// and optionally an extra trusted CA bundle for private clouds.
///
/// Written for the collector's one pattern (many small `GET`s to one host, each answer read whole): a
/// request is one write of its head, body and end on a pooled connection, and its answer one promise the
/// connection's handler completes when the last byte has arrived. No async sequence, state machine or task
/// per request sits between them; a timer on the connection's event loop bounds the whole exchange.
/// The bench's floor row measures it against AsyncHTTPClient on the same URL.
public final class HTTP1Transport: Transport {
    /// The most connections kept to one host by default: `collect --concurrency` allows up to 64.
    public static let defaultConnectionsPerHost = 64
    /// Largest response body accepted (a v5 list page of 200 gateways is far below).
    static let maximumBodyBytes = 32 << 20
    /// How long opening a connection may take at most (the request's own timeout may be shorter).
    static let connectTimeout = TimeAmount.seconds(10)

    private let tls: NIOSSLContext
    private let pool: HTTP1ConnectionPool
    /// Endpoints by scheme and authority: a collection sends thousands of requests to one.
    private let endpoints = NIOLockedValueBox<[Substring: HTTP1Endpoint]>([:])
    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    /// Creates a transport; `caFile` adds a PEM bundle to the trusted roots.
    /// - Parameter connectionsPerHost: connections opened to one host at most; a request beyond them
    ///   waits for one to be free. Connections are only opened while that many requests are in flight, so a
    ///   lower concurrency opens fewer.
    /// - Throws: ``ClientError/invalidConfiguration(_:)`` when the CA file cannot be read.
    public init(caFile: String? = nil, connectionsPerHost: Int = defaultConnectionsPerHost) throws(ClientError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        configuration.applicationProtocols = ["http/1.1"]
        do {
            if let caFile {
                let certificates: [NIOSSLCertificate]
                do {
                    certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                } catch {
                    throw ClientError.invalidConfiguration("cannot read --ca-file \(caFile): \(error)")
                }
                if certificates.isEmpty {
                    throw ClientError.invalidConfiguration("--ca-file \(caFile) holds no PEM certificate")
                }
                configuration.additionalTrustRoots = [.certificates(certificates)]
            }
            tls = try NIOSSLContext(configuration: configuration)
        } catch let error as ClientError {
            throw error
        } catch {
            throw .invalidConfiguration("cannot set up TLS: \(error)")
        }
        pool = HTTP1ConnectionPool(limit: max(1, connectionsPerHost))
    }

    /// Closes pooled connections; call once when done.
    /// - Throws: ``ClientError/shutdownFailed(_:)`` when it was already shut down; the caller logs it once.
    public func shutdown() async throws(ClientError) {
        guard let idle = pool.shutDown() else { throw .shutdownFailed("the transport was already shut down") }
        for connection in idle { try? await connection.channel.close() }
    }

    /// Sends one request: `timeout` bounds the exchange from asking for a connection to the response body's
    /// last byte, even if the body still trickles in or has gone silent.
    /// - Throws: ``TransportError``: `.tls` for a certificate or handshake failure, `.timeout`, `.cancelled`,
    ///   `.connection` for anything else.
    public func send(_ request: ClientRequest, timeout: Duration) async throws(TransportError) -> ClientResponse {
        let deadline = NIODeadline.now() + .nanoseconds(timeout.clampedNanoseconds)
        let (text, path) = HTTP1Endpoint.split(request.url.absoluteString)
        let endpoint: HTTP1Endpoint
        if let known = endpoints.withLockedValue({ $0[text] }) {
            endpoint = known
        } else {
            endpoint = try HTTP1Endpoint(request.url)
            endpoints.withLockedValue { $0[text] = endpoint }
        }
        var head = HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: request.method.rawValue), uri: path)
        head.headers.reserveCapacity(request.headerFields.count + 3)
        head.headers.add(name: "Host", value: endpoint.hostHeader)
        for field in request.headerFields { head.headers.add(name: field.name.rawName, value: field.value) }
        if !request.body.isEmpty || request.method == .post || request.method == .put {
            head.headers.add(name: "Content-Length", value: String(request.body.count))
        }
        let body = request.body.isEmpty ? nil : ByteBuffer(bytes: request.body)
        // A connection the server closed while it sat idle fails before any answer: the request goes once
        // more, on a new connection (as browsers and AsyncHTTPClient do).
        var attempt = 0
        while true {
            attempt += 1
            do {
                let (connection, reused) = try await lease(endpoint, deadline: deadline)
                do {
                    let answer = try await connection.exchange(head, body: body, deadline: deadline)
                    if answer.keepAlive { pool.release(connection) } else { pool.discard(connection) }
                    return ClientResponse(
                        status: HTTPResponse.Status(code: Int(answer.head.status.code)),
                        headerFields: HTTPFields(answer.head.headers), body: Data(answer.body.readableBytesView))
                } catch let failure as HTTP1ExchangeFailure {
                    pool.discard(connection)
                    // Only a request that may be sent twice (RFC 9110 9.2.2): the server may have acted on
                    // one it closed the connection after (a webhook's POST).
                    if case .closedBeforeAnswer = failure, reused, attempt == 1,
                        Self.idempotent.contains(request.method)
                    {
                        continue
                    }
                    throw failure.transportError
                } catch {
                    pool.discard(connection)
                    throw error
                }
            } catch let error as TransportError {
                throw error
            } catch {
                throw HTTP1Transport.classify(error)
            }
        }
    }

    /// The methods a request may be sent again with when a kept-alive connection closed before its answer.
    static let idempotent: Set<HTTPRequest.Method> = [.get, .head, .put, .delete, .options]

    /// A pooled connection to the target's origin, or a new one; `reused` when it served a request before.
    /// A request whose deadline passed while it waited for a connection ends with `.timeout`, unsent.
    private func lease(_ endpoint: HTTP1Endpoint, deadline: NIODeadline) async throws -> (
        HTTP1Connection, reused: Bool
    ) {
        let origin = endpoint.origin
        if let idle = try await pool.acquire(origin, deadline: deadline, timerLoop: group.next()) {
            guard NIODeadline.now() < deadline else {
                pool.release(idle)
                throw TransportError.timeout
            }
            return (idle, true)
        }
        guard NIODeadline.now() < deadline else {
            pool.failedToOpen(origin)
            throw TransportError.timeout
        }
        do {
            let connection = try await connect(endpoint, deadline: deadline)
            pool.opened(connection)
            return (connection, false)
        } catch {
            pool.failedToOpen(endpoint.origin)
            throw error
        }
    }

    private func connect(_ endpoint: HTTP1Endpoint, deadline: NIODeadline) async throws -> HTTP1Connection {
        let origin = endpoint.origin
        let tls = origin.secure ? tls : nil
        let serverName = endpoint.serverName
        let remaining = deadline - .now()
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(min(HTTP1Transport.connectTimeout, max(remaining, .milliseconds(1))))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        // The connection (its handler included) is made where the pipeline is built: a handshake that fails
        // at once removes the handlers, and a later look-up would report that instead of the TLS failure.
        return try await bootstrap.connect(host: origin.host, port: origin.port) { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: tls, serverHostname: serverName))
                }
                // Header fields come from HTTPTypes, which already refuses names and cleans values that
                // would break the request; NIO checking them again cost 2.5 % of a collection's CPU.
                try channel.pipeline.syncOperations.addHTTPClientHandlers(
                    leftOverBytesStrategy: .fireError, enableOutboundHeaderValidation: false)
                let handler = HTTP1ExchangeHandler(maximumBodyBytes: HTTP1Transport.maximumBodyBytes)
                try channel.pipeline.syncOperations.addHandler(handler)
                return HTTP1Connection(
                    origin: origin, channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
            }
        }
    }

    /// Maps NIO and NIOSSL errors to ``TransportError`` by their types and cases: a certificate or
    /// handshake failure is `.tls` (final: the user must fix trust), a TLS stream cut short is a retryable
    /// `.connection`, a connect that did not finish in time is `.timeout`.
    static func classify(_ error: any Error) -> TransportError {
        switch error {
        case let error as TransportError:
            return error
        case is CancellationError:
            return .cancelled
        case let error as HTTP1ExchangeFailure:
            return error.transportError
        case let error as ChannelError:
            if case .connectTimeout = error { return .timeout }
            return .connection("\(error)")
        case let error as NIOSSLError:
            switch error {
            case .uncleanShutdown, .readInInvalidTLSState, .writeDuringTLSShutdown: return .connection("\(error)")
            // The server (or a balancer in front of it) closed the connection during the handshake: nothing
            // about trust, and worth another attempt.
            case .handshakeFailed(.sslError(let stack))
            where !stack.isEmpty
                && stack.allSatisfy({
                    $0 == .eofDuringHandshake || $0 == .eofDuringAdditionalCertficiateChainValidation
                }):
                return .connection("the server closed the connection during the TLS handshake")
            default: return .tls(Self.tlsDetail(error))
            }
        case is BoringSSLError, is NIOSSLExtraError:
            return .tls(Self.tlsDetail(error))
        default:
            return .connection("\(error)")
        }
    }
}

extension HTTP1Transport {
    /// What a TLS error says, without the source paths of the TLS library's build (`at /…/ssl.cc:123`);
    /// a plain-HTTP server answering the handshake is named as such (nothing about certificates).
    static func tlsDetail(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") {
            return TransportError.notTLS
        }
        return text.replacing(#/ at /[^\s\]\),]+:\d+/#, with: "")
    }
}

extension HTTPFields {
    /// The fields of a NIO header block, in order; a name HTTPTypes refuses is left out.
    init(_ headers: HTTPHeaders) {
        self.init()
        reserveCapacity(headers.count)
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { append(HTTPField(name: name, value: value)) }
        }
    }
}
