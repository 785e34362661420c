import Foundation
import GatewayAuditCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// Where a connection goes: requests to the same origin share connections.
struct HTTP1Origin: Hashable, Sendable {
    let secure: Bool
    let host: String
    let port: Int
}

/// A URL's scheme and authority taken apart for HTTP/1.1: where to connect, the `Host` header and the
/// name TLS checks. Requests to one endpoint share it (``HTTP1Transport`` keeps them by scheme and authority).
struct HTTP1Endpoint: Sendable {
    let origin: HTTP1Origin
    /// `host` or `host:port` when the URL names its port: the value the AK/SK signer signs.
    let hostHeader: String
    /// The name sent for SNI and checked against the certificate; nil for an IP address, whose certificate
    /// is checked against the address connected to.
    let serverName: String?

    init(_ url: URL) throws(TransportError) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = url.host, !host.isEmpty
        else { throw .connection("cannot send to \(url.absoluteString): not an http(s) URL with a host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let secure = scheme == "https"
        origin = HTTP1Origin(secure: secure, host: host, port: url.port ?? (secure ? 443 : 80))
        let bracketed = host.contains(":") ? "[\(host)]" : host
        hostHeader = url.port.map { "\(bracketed):\($0)" } ?? bracketed
        serverName = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    /// `text` (an absolute URL) split after its authority: the scheme and authority, and the request target
    /// exactly as the URL holds it (percent-encoded, `URL.path` would decode it), never empty, no fragment.
    static func split(_ text: String) -> (endpoint: Substring, target: String) {
        // On the UTF-8 bytes: every byte searched for is ASCII, so each position found is a character boundary.
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = bytes.startIndex
        var colons = 0
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                colons = 1
            } else if byte == UInt8(ascii: "/"), colons > 0 {
                colons += 1
                if colons == 3 {
                    start = bytes.index(after: index)
                    break
                }
            } else {
                colons = 0
            }
            index = bytes.index(after: index)
        }
        var end = start
        while end != bytes.endIndex, ![UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#")].contains(bytes[end]) {
            end = bytes.index(after: end)
        }
        var stop = end
        while stop != bytes.endIndex, bytes[stop] != UInt8(ascii: "#") { stop = bytes.index(after: stop) }
        let rest = text[end..<stop]
        return (text[..<end], rest.isEmpty ? "/" : (rest.first == "?" ? "/" + rest : String(rest)))
    }
}

/// A whole answer as the connection's handler collected it.
struct HTTP1Answer: Sendable {
    let head: HTTPResponseHead
    let body: ByteBuffer
    /// Whether the connection may carry another request (HTTP/1.1 without `Connection: close`).
    let keepAlive: Bool
}

/// Why an exchange on a connection ended without an answer. The connection is not used again.
enum HTTP1ExchangeFailure: Error, Sendable {
    /// The server closed the connection before any byte of the answer (a kept-alive connection the server
    /// had already given up: the request is sent once more, on a new connection).
    case closedBeforeAnswer
    /// The server closed the connection in the middle of the answer.
    case closedDuringAnswer
    case timeout
    case cancelled
    case tooLarge
    /// NIO, NIOSSL or the HTTP parser reported an error, classified.
    case failed(TransportError)

    var transportError: TransportError {
        switch self {
        case .closedBeforeAnswer: return .connection("the server closed the connection without answering")
        case .closedDuringAnswer: return .connection("the server closed the connection before the answer was whole")
        case .timeout: return .timeout
        case .cancelled: return .cancelled
        case .tooLarge:
            return .connection("the answer is larger than \(HTTP1Transport.maximumBodyBytes >> 20) MiB")
        case .failed(let error): return error
        }
    }
}

/// One kept-alive connection, carrying one exchange at a time (the pool lends it to one request).
final class HTTP1Connection: Sendable {
    let origin: HTTP1Origin
    let channel: any Channel
    private let handler: NIOLoopBound<HTTP1ExchangeHandler>

    init(origin: HTTP1Origin, channel: any Channel, handler: NIOLoopBound<HTTP1ExchangeHandler>) {
        self.origin = origin
        self.channel = channel
        self.handler = handler
    }

    /// Sends the request and waits for its whole answer, by `deadline`.
    func exchange(_ head: HTTPRequestHead, body: ByteBuffer?, deadline: NIODeadline) async throws -> HTTP1Answer {
        let promise = channel.eventLoop.makePromise(of: HTTP1Answer.self)
        let handler = handler
        let loop = channel.eventLoop
        return try await withTaskCancellationHandler {
            loop.execute { handler.value.start(head, body: body, deadline: deadline, promise: promise) }
            return try await promise.futureResult.get()
        } onCancel: {
            loop.execute { handler.value.cancel(promise.futureResult) }
        }
    }
}

/// The connection's last handler: writes a request and collects its answer into one buffer, ending the
/// exchange at its deadline, on cancellation, when the connection closes or when the answer is too large.
/// It lives on its channel's event loop.
final class HTTP1ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let maximumBodyBytes: Int
    private var context: ChannelHandlerContext?
    private var pending: EventLoopPromise<HTTP1Answer>?
    /// An exchange cancelled before it started (its task was cancelled as it began), known by its future:
    /// held, so no later exchange's future can take its address. Any next start clears it.
    private var cancelledBeforeStart: EventLoopFuture<HTTP1Answer>?
    private var timer: Scheduled<Void>?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private var open = true
    /// A TLS handshake that failed while no exchange was on the connection (an untrusted certificate can end
    /// it between the connect and the request): what that request reports, instead of a close it would retry.
    private var failedHandshake: TransportError?

    init(maximumBodyBytes: Int) { self.maximumBodyBytes = maximumBodyBytes }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func start(
        _ request: HTTPRequestHead, body: ByteBuffer?, deadline: NIODeadline, promise: EventLoopPromise<HTTP1Answer>
    ) {
        // A cancel that came after its exchange had ended names no exchange to come: dropped here.
        let cancelled = cancelledBeforeStart === promise.futureResult
        cancelledBeforeStart = nil
        if cancelled {
            promise.fail(HTTP1ExchangeFailure.cancelled)
            return
        }
        guard let context, open, pending == nil else {
            // A failed handshake is final; anything else that closed an idle connection is the server giving
            // it up, and the request goes once more on a new one.
            promise.fail(failedHandshake.map(HTTP1ExchangeFailure.failed) ?? .closedBeforeAnswer)
            return
        }
        pending = promise
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            fail(.timeout)
        }
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func cancel(_ exchange: EventLoopFuture<HTTP1Answer>) {
        guard let pending, pending.futureResult === exchange else {
            cancelledBeforeStart = exchange
            return
        }
        fail(.cancelled)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard pending != nil else {
            // An answer nobody asked for: the connection cannot be trusted any more.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let received):
            // An interim answer (100 Continue) is not the answer.
            if received.status.code >= 100 && received.status.code < 200 && received.status != .switchingProtocols {
                return
            }
            // As AsyncHTTPClient's `collect(upTo:)`: a body that announces more than the limit is refused
            // before it is read.
            if let length = received.headers.first(name: "content-length").flatMap(Int.init), length > maximumBodyBytes
            {
                fail(.tooLarge)
                return
            }
            head = received
        case .body(let part):
            guard body.readableBytes + part.readableBytes <= maximumBodyBytes else {
                fail(.tooLarge)
                return
            }
            if body.readableBytes == 0 {
                body = part
            } else {
                body.writeImmutableBuffer(part)
            }
        case .end:
            guard let head, let pending else {
                fail(.closedDuringAnswer)
                return
            }
            let answer = HTTP1Answer(head: head, body: body, keepAlive: head.isKeepAlive)
            finish()
            pending.succeed(answer)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        open = false
        if pending != nil { fail(head == nil ? .closedBeforeAnswer : .closedDuringAnswer) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS connection closed without close_notify: NIOSSL reports it just before the close itself, which
        // decides (before the answer: sent again; an answer that ends with the connection: whole; one cut
        // short: the parser's error). Servers and balancers often close so.
        if case NIOSSLError.uncleanShutdown = error { return }
        guard pending != nil else {
            let classified = HTTP1Transport.classify(error)
            if failedHandshake == nil, case .tls = classified { failedHandshake = classified }
            context.close(promise: nil)
            return
        }
        // A write or read that finds the connection reset before any byte of the answer is the same event as
        // a close before the answer (which of the two is seen first is a race).
        if head == nil, error is IOError || error is ChannelError {
            fail(.closedBeforeAnswer)
        } else {
            fail(.failed(HTTP1Transport.classify(error)))
        }
    }

    /// Ends the pending exchange with `failure` and closes the connection: whatever arrives later on it
    /// belongs to no request.
    private func fail(_ failure: HTTP1ExchangeFailure) {
        guard let pending else { return }
        finish()
        open = false
        pending.fail(failure)
        context?.close(promise: nil)
    }

    private func finish() {
        pending = nil
        timer?.cancel()
        timer = nil
        head = nil
        body = ByteBuffer()
    }
}
