import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// One request a receiver got.
struct ReceivedRequest: Sendable {
    let method: String
    let path: String
    let query: String
    let contentType: String?
    let body: Data
    /// The status the receiver answered.
    let status: Int
}

/// What a receiver answers and remembers: answers come from a script (then 200), requests are kept in order.
actor ReceiverLog {
    private var script: [Int]
    private(set) var requests: [ReceivedRequest] = []

    init(script: [Int]) {
        self.script = script
    }

    func answer(method: String, path: String, query: String, contentType: String?, body: Data) -> Int {
        let status = script.isEmpty ? 200 : script.removeFirst()
        requests.append(
            ReceivedRequest(
                method: method, path: path, query: query, contentType: contentType, body: body, status: status))
        return status
    }
}

/// A webhook and heartbeat receiver on 127.0.0.1, port 0 (Hummingbird): answers every path with the
/// next status of its script (then 200) and records each request.
struct WebhookReceiver: Sendable {
    let port: Int
    let log: ReceiverLog
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func start(script: [Int] = []) async throws -> WebhookReceiver {
        let log = ReceiverLog(script: script)
        let router = Router()
        // POSTs (webhooks, heartbeats) and GETs (Uptime Kuma-style status pushes) alike.
        for method in [HTTPRequest.Method.post, .get] {
            router.on("**", method: method) { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 22)
                let status = await log.answer(
                    method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                    contentType: request.headers[.contentType], body: Data(body.readableBytesView))
                return Response(status: .init(code: status))
            }
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let logger = Logger(label: "receiver") { _ in SwiftLogNoOpLogHandler() }
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await port in ports {
            return WebhookReceiver(port: port, log: log, group: group, task: task)
        }
        throw CancellationError()
    }

    func requests() async -> [ReceivedRequest] { await log.requests }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// A server on 127.0.0.1 that accepts connections and never answers (a hung webhook).
struct SilentReceiver: Sendable {
    let port: Int
    private let channel: any Channel

    static func start() async throws -> SilentReceiver {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in child.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        return SilentReceiver(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    func stop() async {
        try? await channel.close()
    }
}
