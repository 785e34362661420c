import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing
@testable import GatewayAuditClient

/// The collector's own HTTP/1.1 client against a real TCP server on 127.0.0.1 whose every answer the test
/// writes byte for byte: which connection carries which request, and what ends an exchange.
@Suite("HTTP1Transport: kept-alive connections, their limit, and every way an exchange ends")
///
/// Timeouts are a minute wherever they are not what a test is about: the suite runs beside the others on two
/// cores, and a request's timeout counts from the moment it asks for a connection.
struct HTTP1TransportTests {
    @Test("requests in sequence share one kept-alive connection; the target and Host header are sent as signed")
    func keepAlive() async throws {
        let server = try await ScriptedServer.start { _, _ in .answer(ScriptedServer.ok("hello")) }
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/v5/p%201/gateways/a%2Fb?marker=x%3Dy"))
        for _ in 0..<20 {
            let response = try await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(60))
            #expect(response.status == .ok)
            #expect(String(decoding: response.body, as: UTF8.self) == "hello")
            #expect(response.headerFields[HTTPField.Name("X-Request-Id")!] == "r-1")
        }
        try await transport.shutdown()
        #expect(server.connections == 1)
        let first = try #require(server.requests.first)
        #expect(first.hasPrefix("GET /v5/p%201/gateways/a%2Fb?marker=x%3Dy HTTP/1.1\r\n"), "\(first)")
        #expect(first.contains("\r\nHost: 127.0.0.1:\(server.port)\r\n"), "\(first)")
        await server.stop()
    }

    @Test(
        "a URL splits into its endpoint and the request target as written (percent-encoding kept, fragment dropped)",
        arguments: [
            (
                "https://vpn.example.com/base/v5/p%201/x%2Fy?marker=a%3Db#top", "https://vpn.example.com",
                "/base/v5/p%201/x%2Fy?marker=a%3Db"
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080", "/"),
            ("http://127.0.0.1:8080?limit=1", "http://127.0.0.1:8080", "/?limit=1"),
            ("https://[::1]:8443/v3/auth/tokens", "https://[::1]:8443", "/v3/auth/tokens"),
        ])
    func split(url: String, endpoint: String, target: String) {
        let parts = HTTP1Endpoint.split(url)
        #expect(String(parts.endpoint) == endpoint)
        #expect(parts.target == target)
    }

    @Test("an answer with Connection: close is not followed by another request on its connection")
    func connectionClose() async throws {
        let server = try await ScriptedServer.start { _, _ in .answerAndClose(ScriptedServer.ok("bye", close: true)) }
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/x"))
        for _ in 0..<3 {
            let response = try await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(60))
            #expect(String(decoding: response.body, as: UTF8.self) == "bye")
        }
        try await transport.shutdown()
        #expect(server.connections == 3)
        await server.stop()
    }

    @Test("a kept-alive connection the server closed while idle is replaced: the next request still succeeds")
    func staleConnection() async throws {
        // Every answer claims keep-alive, then the server closes the connection anyway.
        let server = try await ScriptedServer.start { _, _ in .answerAndClose(ScriptedServer.ok("once")) }
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/x"))
        for _ in 0..<5 {
            let response = try await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(60))
            #expect(String(decoding: response.body, as: UTF8.self) == "once")
        }
        try await transport.shutdown()
        #expect(server.connections >= 5)
        await server.stop()
    }

    @Test("a body that stops arriving ends at the request's timeout, not after the 60 s idle timer")
    func silentBody() async throws {
        let server = try await ScriptedServer.start { _, _ in
            .answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        }
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/x"))
        let started = ContinuousClock.now
        await #expect(throws: TransportError.timeout) {
            _ = try await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(1))
        }
        // Well before the 60 s a silent connection took with AsyncHTTPClient's idle timer (the bound leaves
        // room for a machine busy with the other suites).
        #expect(ContinuousClock.now - started < .seconds(30))
        try await transport.shutdown()
        await server.stop()
    }

    @Test("an answer announcing more than 32 MiB is refused before its body is read")
    func tooLarge() async throws {
        let server = try await ScriptedServer.start { _, _ in
            .answer("HTTP/1.1 200 OK\r\nContent-Length: \(64 << 20)\r\n\r\n")
        }
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/x"))
        await #expect(throws: TransportError.connection("the answer is larger than 32 MiB")) {
            _ = try await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(60))
        }
        try await transport.shutdown()
        await server.stop()
    }

    @Test("a server cut off mid-answer is a connection failure, and the transport goes on with a new connection")
    func truncated() async throws {
        let server = try await ScriptedServer.start { index, _ in
            index == 0
                ? .answerAndClose("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"truncated\":")
                : .answer(ScriptedServer.ok("whole"))
        }
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/x"))
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(60))
        }
        guard case .connection? = error else {
            Issue.record("expected a connection failure, got \(String(describing: error))")
            return
        }
        let response = try await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(60))
        #expect(String(decoding: response.body, as: UTF8.self) == "whole")
        try await transport.shutdown()
        await server.stop()
    }

    @Test("a cancelled request ends at once with .cancelled, and the transport still serves the next one")
    func cancelled() async throws {
        // By path, not by order: on a busy machine the cancelled request may end before it is sent.
        let server = try await ScriptedServer.start { _, request in
            request.hasPrefix("GET /silent ") ? .silent : .answer(ScriptedServer.ok("next"))
        }
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/x"))
        let started = ContinuousClock.now
        let silent = try #require(URL(string: "http://127.0.0.1:\(server.port)/silent"))
        let task = Task { try await transport.send(ClientRequest(method: .get, url: silent), timeout: .seconds(300)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: TransportError.cancelled) { _ = try await task.value }
        #expect(ContinuousClock.now - started < .seconds(60))
        let response = try await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(60))
        #expect(String(decoding: response.body, as: UTF8.self) == "next")
        try await transport.shutdown()
        await server.stop()
    }

    @Test("no more connections than the limit: requests beyond it wait for a free one and all succeed")
    func connectionLimit() async throws {
        let server = try await ScriptedServer.start(delay: .milliseconds(20)) { _, _ in .answer(ScriptedServer.ok("ok"))
        }
        let transport = try HTTP1Transport(connectionsPerHost: 3)
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/x"))
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<24 {
                group.addTask {
                    let response = try await transport.send(
                        ClientRequest(method: .get, url: url), timeout: .seconds(60))
                    return String(decoding: response.body, as: UTF8.self)
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(bodies == Array(repeating: "ok", count: 24))
        #expect(server.connections == 3)
        #expect(server.peakOpen <= 3)
        try await transport.shutdown()
        await server.stop()
    }

    @Test(
        "closed before its request started: a failed handshake is TLS, a reset or unclean close is sent again",
        arguments: [
            (NIOSSLError.handshakeFailed(.sslError([])) as any Error & Sendable, true),
            (IOError(errnoCode: ECONNRESET, reason: "read"), false),
            (NIOSSLError.uncleanShutdown, false),
        ])
    func closedBeforeStart(error: any Error & Sendable, tls: Bool) throws {
        // The order the CI machine met under load: the handshake fails between the connect and the request.
        let channel = EmbeddedChannel()
        let handler = HTTP1ExchangeHandler(maximumBodyBytes: 1024)
        try channel.pipeline.syncOperations.addHandler(handler)
        channel.pipeline.fireErrorCaught(error)
        // NIOSSL follows an unclean shutdown with the close itself (the others closed the channel already).
        _ = try? channel.close().wait()
        let promise = channel.eventLoop.makePromise(of: HTTP1Answer.self)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
        handler.start(head, body: nil, deadline: .now() + .seconds(60), promise: promise)
        var failure: HTTP1ExchangeFailure?
        promise.futureResult.whenFailure { failure = $0 as? HTTP1ExchangeFailure }
        let reported = try #require(failure)
        switch (tls, reported) {
        case (true, .failed(.tls(let detail))):
            #expect(detail.contains("handshakeFailed"), "\(detail)")
            #expect(reported.transportError.description.contains("pass --ca-file with its CA"))
        case (false, .closedBeforeAnswer):
            break
        default:
            Issue.record("\(tls ? "a TLS failure" : "closed before the answer") expected, got \(reported)")
        }
        #expect(try channel.readOutbound(as: HTTPClientRequestPart.self) == nil, "nothing is written")
    }

    /// A handler on an embedded channel with one exchange started; the test plays the connection's events.
    static func startedExchange() throws -> (
        EmbeddedChannel, HTTP1ExchangeHandler, EventLoopPromise<HTTP1Answer>,
        NIOLockedValueBox<Result<HTTP1Answer, any Error>?>
    ) {
        let channel = EmbeddedChannel()
        let handler = HTTP1ExchangeHandler(maximumBodyBytes: 1024)
        try channel.pipeline.syncOperations.addHandler(handler)
        let promise = channel.eventLoop.makePromise(of: HTTP1Answer.self)
        let outcome = NIOLockedValueBox<Result<HTTP1Answer, any Error>?>(nil)
        promise.futureResult.whenComplete { result in outcome.withLockedValue { $0 = result } }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
        handler.start(head, body: nil, deadline: .now() + .seconds(60), promise: promise)
        return (channel, handler, promise, outcome)
    }

    @Test("TLS closed without close_notify before the answer: closed before the answer, so it is sent again")
    func uncleanShutdownBeforeAnswer() throws {
        let (channel, _, _, outcome) = try Self.startedExchange()
        // What NIOSSL does on a ragged EOF: the error, then the close.
        channel.pipeline.fireErrorCaught(NIOSSLError.uncleanShutdown)
        try channel.close().wait()
        let result = try #require(outcome.withLockedValue { $0 })
        guard case .failure(let error) = result, case .closedBeforeAnswer? = error as? HTTP1ExchangeFailure else {
            Issue.record("closed before the answer expected, got \(result)")
            return
        }
    }

    @Test("an answer that ends with the TLS connection, closed without close_notify, is whole")
    func uncleanShutdownEndsAnswer() throws {
        let (channel, _, _, outcome) = try Self.startedExchange()
        // A proxy's 503 with no Content-Length: the body runs to the close.
        try channel.writeInbound(
            HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .serviceUnavailable)))
        try channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "busy, retry later")))
        channel.pipeline.fireErrorCaught(NIOSSLError.uncleanShutdown)
        // The HTTP decoder ends such an answer when the connection closes.
        try channel.writeInbound(HTTPClientResponsePart.end(nil))
        let result = try #require(outcome.withLockedValue { $0 })
        guard case .success(let answer) = result else {
            Issue.record("a whole answer expected, got \(result)")
            return
        }
        #expect(answer.head.status == .serviceUnavailable)
        #expect(String(buffer: answer.body) == "busy, retry later")
    }

    @Test("a cancel that arrives after its exchange ended does not cancel the next one; one before its start does")
    func staleCancel() throws {
        let (channel, handler, first, outcome) = try Self.startedExchange()
        try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeInbound(HTTPClientResponsePart.end(nil))
        guard case .success? = outcome.withLockedValue({ $0 }) else {
            Issue.record("the first exchange should have ended with its answer")
            return
        }
        // The first request's task is cancelled just after its answer arrived.
        handler.cancel(first.futureResult)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/next")
        let second = channel.eventLoop.makePromise(of: HTTP1Answer.self)
        handler.start(head, body: nil, deadline: .now() + .seconds(60), promise: second)
        try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeInbound(HTTPClientResponsePart.end(nil))
        #expect(try second.futureResult.wait().head.status == .ok)
        // A request cancelled before its start never goes out.
        let third = channel.eventLoop.makePromise(of: HTTP1Answer.self)
        handler.cancel(third.futureResult)
        handler.start(head, body: nil, deadline: .now() + .seconds(60), promise: third)
        #expect(throws: HTTP1ExchangeFailure.self) { try third.futureResult.wait() }
    }

    @Test("the server closing the connection during the TLS handshake is a connection failure, not a trust one")
    func eofDuringHandshake() {
        let eof = HTTP1Transport.classify(NIOSSLError.handshakeFailed(.sslError([.eofDuringHandshake])))
        #expect(eof == .connection("the server closed the connection during the TLS handshake"))
        guard case .tls = HTTP1Transport.classify(NIOSSLError.handshakeFailed(.sslError([]))) else {
            Issue.record("a handshake refused by BoringSSL is a TLS failure")
            return
        }
    }

    @Test("a request waiting for a connection ends at its own timeout, unsent, while the limit's connections are busy")
    func waitBoundedByTimeout() async throws {
        let server = try await ScriptedServer.start { _, request in
            request.hasPrefix("GET /hold ") ? .silent : .answer(ScriptedServer.ok("ok"))
        }
        let transport = try HTTP1Transport(connectionsPerHost: 1)
        let hold = try #require(URL(string: "http://127.0.0.1:\(server.port)/hold"))
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/x"))
        let holder = Task { try await transport.send(ClientRequest(method: .get, url: hold), timeout: .seconds(20)) }
        // The only connection is busy once the server has the first request.
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let started = ContinuousClock.now
        await #expect(throws: TransportError.timeout) {
            _ = try await transport.send(ClientRequest(method: .get, url: url), timeout: .milliseconds(300))
        }
        // The busy connection ends at 20 s: well before that, on a machine as loaded as the whole suite makes it.
        #expect(ContinuousClock.now - started < .seconds(15), "it waited for the busy connection's own end")
        #expect(server.requests.count == 1, "the request that timed out was never sent")
        holder.cancel()
        _ = try? await holder.value
        try await transport.shutdown()
        await server.stop()
    }

    @Test(
        "a kept-alive connection closed before the answer: a GET is sent again on a new one, a POST is not",
        arguments: [HTTPRequest.Method.get, .post])
    func resendOnlyIdempotent(method: HTTPRequest.Method) async throws {
        let server = try await ScriptedServer.start { index, _ in
            index == 1 ? .close : .answer(ScriptedServer.ok(index == 0 ? "first" : "again"))
        }
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/v3/auth/tokens"))
        let request = ClientRequest(method: method, url: url, body: method == .post ? Data("{}".utf8) : Data())
        let first = try await transport.send(request, timeout: .seconds(60))
        #expect(String(decoding: first.body, as: UTF8.self) == "first")
        if method == .get {
            let again = try await transport.send(request, timeout: .seconds(60))
            #expect(String(decoding: again.body, as: UTF8.self) == "again")
            #expect(server.requests.count == 3)
        } else {
            await #expect(throws: TransportError.connection("the server closed the connection without answering")) {
                _ = try await transport.send(request, timeout: .seconds(60))
            }
            #expect(server.requests.count == 2, "the POST the server may have acted on is not sent twice")
        }
        try await transport.shutdown()
        await server.stop()
    }

    @Test("a port nobody listens on is a connection failure")
    func refused() async throws {
        let server = try await ScriptedServer.start { _, _ in .silent }
        let port = server.port
        await server.stop()
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/x"))
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(ClientRequest(method: .get, url: url), timeout: .seconds(60))
        }
        guard case .connection? = error else {
            Issue.record("expected a connection failure, got \(String(describing: error))")
            return
        }
        try await transport.shutdown()
    }

    @Test("a request body is sent whole with its Content-Length")
    func postBody() async throws {
        let server = try await ScriptedServer.start { _, _ in .answer(ScriptedServer.ok("created")) }
        let transport = try HTTP1Transport()
        let url = try #require(URL(string: "http://127.0.0.1:\(server.port)/v3/auth/tokens"))
        let body = Data(#"{"auth":{}}"#.utf8)
        let response = try await transport.send(
            ClientRequest(method: .post, url: url, body: body), timeout: .seconds(60))
        #expect(String(decoding: response.body, as: UTF8.self) == "created")
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("POST /v3/auth/tokens HTTP/1.1\r\n"))
        #expect(request.contains("\r\nContent-Length: 11\r\n"), "\(request)")
        #expect(request.hasSuffix("\r\n\r\n{\"auth\":{}}"), "\(request)")
        try await transport.shutdown()
        await server.stop()
    }
}

/// A TCP server on 127.0.0.1 answering each request as `script` says, given its number (counted across
/// connections from 0) and its text.
final class ScriptedServer: Sendable {
    enum Reply: Sendable {
        /// These bytes, the connection kept open.
        case answer(String)
        /// These bytes, then the connection closed.
        case answerAndClose(String)
        /// Nothing, ever.
        case silent
        /// No answer: the connection closed at once.
        case close
    }

    let port: Int
    private let channel: any Channel
    private let state: NIOLockedValueBox<(connections: Int, open: Int, peakOpen: Int, requests: [String])>

    var connections: Int { state.withLockedValue { $0.connections } }
    var peakOpen: Int { state.withLockedValue { $0.peakOpen } }
    /// Each request as received: its head and body.
    var requests: [String] { state.withLockedValue { $0.requests } }

    /// A whole 200 answer with `body`, kept alive unless `close`.
    static func ok(_ body: String, close: Bool = false) -> String {
        "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nX-Request-Id: r-1\r\n"
            + (close ? "Connection: close\r\n" : "") + "\r\n" + body
    }

    private init(
        port: Int, channel: any Channel,
        state: NIOLockedValueBox<(connections: Int, open: Int, peakOpen: Int, requests: [String])>
    ) {
        self.port = port
        self.channel = channel
        self.state = state
    }

    static func start(
        delay: TimeAmount = .zero, _ script: @escaping @Sendable (Int, String) -> Reply
    ) async throws -> ScriptedServer {
        let state = NIOLockedValueBox((connections: 0, open: 0, peakOpen: 0, requests: [String]()))
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(
                        ScriptedConnection(state: state, delay: delay, script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedServer(port: channel.localAddress?.port ?? 0, channel: channel, state: state)
    }

    func stop() async { try? await channel.close() }
}

/// One accepted connection: splits what arrives into requests (head, then as many body bytes as its
/// Content-Length says) and writes each one's scripted reply.
private final class ScriptedConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let state: NIOLockedValueBox<(connections: Int, open: Int, peakOpen: Int, requests: [String])>
    private let delay: TimeAmount
    private let script: @Sendable (Int, String) -> ScriptedServer.Reply
    private var received = ""

    init(
        state: NIOLockedValueBox<(connections: Int, open: Int, peakOpen: Int, requests: [String])>,
        delay: TimeAmount, script: @escaping @Sendable (Int, String) -> ScriptedServer.Reply
    ) {
        self.state = state
        self.delay = delay
        self.script = script
    }

    func channelActive(context: ChannelHandlerContext) {
        state.withLockedValue {
            $0.connections += 1
            $0.open += 1
            $0.peakOpen = max($0.peakOpen, $0.open)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.withLockedValue { $0.open -= 1 }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readString(length: buffer.readableBytes) ?? ""
        while let end = received.range(of: "\r\n\r\n") {
            let head = received[..<end.upperBound]
            let length =
                head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            guard received.utf8.count - head.utf8.count >= length else { return }
            let whole = String(received.utf8.prefix(head.utf8.count + length)) ?? ""
            received = String(received.utf8.dropFirst(head.utf8.count + length)) ?? ""
            let index = state.withLockedValue {
                $0.requests.append(whole)
                return $0.requests.count - 1
            }
            reply(script(index, whole), context: context)
        }
    }

    private func reply(_ reply: ScriptedServer.Reply, context: ChannelHandlerContext) {
        let write = { (text: String, close: Bool) in
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
            if close { context.close(promise: nil) }
        }
        let send: (String, Bool) -> Void = { text, close in
            if self.delay == .zero {
                write(text, close)
            } else {
                context.eventLoop.assumeIsolated().scheduleTask(in: self.delay) { write(text, close) }
            }
        }
        switch reply {
        case .answer(let text): send(text, false)
        case .answerAndClose(let text): send(text, true)
        case .silent: break
        case .close: context.close(promise: nil)
        }
    }
}
