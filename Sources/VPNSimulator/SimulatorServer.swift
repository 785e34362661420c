import Foundation
import GatewayAuditCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The simulator's HTTP server (Hummingbird 2) in front of a ``SimulatedCloud``.
///
/// Start it in-process on a free port and learn the URL:
/// ```swift
/// let cloud = try SimulatedCloud()                     // built-in scenario, night 0
/// let running = try await SimulatorServer(cloud: cloud).start()
/// print(running.baseURL)                               // http://127.0.0.1:54321
/// try await cloud.advance(to: 1)
/// await running.stop()
/// ```
/// Routes: the v5 customer-gateway API under `/v5/{project_id}/`, the VPN gateway and VPN connection
/// reads (`vpn-gateways`, `vpn-connection`, with `{id}`), IAM `POST /v3/auth/tokens`, and,
/// unless disabled, admin routes under `/_sim/` that need no credentials and are not part of the cloud's
/// API: `GET /_sim/state`; `POST /_sim/advance?nights=N` or `?night=N`; `POST /_sim/faults` with a
/// ``FaultRule`` as JSON (answers its id), `GET /_sim/faults` (the firings so far), `DELETE /_sim/faults`.
/// A `latency` delays every answer but the admin routes' by that much (an event-loop timer, no thread held;
/// `/_sim/state` shows what the waits took).
public struct SimulatorServer: Sendable {
    /// The engine answering requests (for a multi-project server: IAM's, and any unknown project's).
    public let cloud: SimulatedCloud
    /// Every project served, by id: a request under `/v5/{project_id}/` goes to that project's engine.
    public let projects: [String: SimulatedCloud]
    /// The address to listen on (loopback by default).
    public let host: String
    /// The port; 0 picks a free one.
    public let port: Int
    /// Whether the `/_sim/` admin routes exist.
    public let adminRoutes: Bool
    /// The wait added before every API answer (not the `/_sim/` admin routes'); zero for none.
    public let latency: Duration
    /// With a latency: how many API requests are held at once, at most, and how long the holds took.
    public let gauge = RequestGauge()
    private let logger: Logger

    /// Creates a server; nothing listens until ``start()`` or ``run(onListening:)``.
    public init(
        cloud: SimulatedCloud, host: String = "127.0.0.1", port: Int = 0, adminRoutes: Bool = true,
        latency: Duration = .zero,
        logger: Logger = Logger(label: "vpn-simulator", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.cloud = cloud
        self.projects = [cloud.projectID: cloud]
        self.host = host
        self.port = port
        self.adminRoutes = adminRoutes
        self.latency = latency
        self.logger = logger
    }

    /// Creates a server for several projects of one region (each its own engine, scenario and seed);
    /// the first also answers IAM, whose project list shows them all.
    public init(
        clouds first: SimulatedCloud, _ others: [SimulatedCloud], host: String = "127.0.0.1", port: Int = 0,
        adminRoutes: Bool = true, latency: Duration = .zero,
        logger: Logger = Logger(label: "vpn-simulator", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.cloud = first
        var projects = [first.projectID: first]
        for other in others { projects[other.projectID] = other }
        self.projects = projects
        self.host = host
        self.port = port
        self.adminRoutes = adminRoutes
        self.latency = latency
        self.logger = logger
    }

    /// Starts listening in a background task and returns once the port is bound.
    /// - Throws: ``SimulatorError/cannotStart(host:port:reason:)`` when the address cannot be bound.
    public func start() async throws(SimulatorError) -> RunningSimulator {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = makeApplication { port in continuation.yield(port) }
        let group = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        for await bound in ports {
            return RunningSimulator(host: host, port: bound, cloud: cloud, group: group, task: task)
        }
        let reason: String
        switch await task.result {
        case .failure(let error): reason = "\(error)"
        case .success: reason = "the server stopped before listening"
        }
        throw .cannotStart(host: host, port: port, reason: reason)
    }

    /// Listens until SIGINT or SIGTERM (then shuts down gracefully) or until the calling task is
    /// cancelled; `onListening` receives the bound port once.
    /// - Throws: whatever stops the server (e.g. the address is in use).
    public func run(onListening: @escaping @Sendable (Int) async -> Void) async throws {
        try await makeApplication(onListening: onListening).runService()
    }

    private func makeApplication(onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "vpn-simulator"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    func makeRouter() -> Router<SimulatorRequestContext> {
        let router = Router(context: SimulatorRequestContext.self)
        // `vpn-simulator --verbose`: one line per request (method, path and query; headers, which carry
        // tokens and signatures, are left out).
        if logger.logLevel <= .debug { router.add(middleware: LogRequestsMiddleware(.debug)) }
        router.add(middleware: UnknownRouteMiddleware())
        if latency > .zero { router.add(middleware: LatencyMiddleware(latency: latency, gauge: gauge)) }
        let collection = "/v5/:project_id/customer-gateways"
        let single = "/v5/:project_id/customer-gateways/:gateway_id"
        let tags = "/v5/:project_id/customer-gateway/:gateway_id/tags"
        router.get(RouterPath(collection)) { request, context in try await handle(.listGateways, request, context) }
        router.post(RouterPath(collection)) { request, context in try await handle(.createGateway, request, context) }
        router.get(RouterPath(single)) { request, context in try await handle(.getGateway, request, context) }
        router.put(RouterPath(single)) { request, context in try await handle(.updateGateway, request, context) }
        router.delete(RouterPath(single)) { request, context in try await handle(.deleteGateway, request, context) }
        router.post(RouterPath(tags + "/create")) { request, context in try await handle(.createTags, request, context)
        }
        router.post(RouterPath(tags + "/delete")) { request, context in try await handle(.deleteTags, request, context)
        }
        addVPNRoutes(to: router)
        router.post("/v3/auth/tokens") { request, context in try await handle(.issueToken, request, context) }
        router.get("/v3/auth/projects") { request, context in try await handle(.listProjects, request, context) }
        router.get("/v3/projects") { request, context in try await handle(.listProjects, request, context) }
        if adminRoutes { addAdminRoutes(to: router) }
        return router
    }

    func handle(_ route: RouteKind, _ request: Request, _ context: SimulatorRequestContext) async throws
        -> Response
    {
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        if let authority = request.head.authority { headers["host"] = authority }
        let apiRequest = APIRequest(
            route: route, method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
            headers: headers, body: Array(body.readableBytesView), projectID: context.parameters.get("project_id"),
            gatewayID: context.parameters.get("gateway_id").map { GatewayID(String($0)) })
        switch await engine(for: apiRequest).respond(to: apiRequest) {
        case .resetConnection:
            try await context.channel.close()
            return Response(status: .internalServerError)
        case .respond(let response, let delay):
            if delay > 0 { try await context.hold(until: .now() + .milliseconds(Int64(delay))) }
            return SimulatorServer.hummingbirdResponse(response)
        case .trickle(let response, let interval):
            let bytes = response.body
            // The length is announced, so the client waits for every byte rather than for the end of a
            // chunked stream.
            return SimulatorServer.hummingbirdResponse(
                response,
                body: ResponseBody(contentLength: bytes.count) { writer in
                    for byte in bytes {
                        try await writer.write(ByteBuffer(bytes: [byte]))
                        try await Task.sleep(for: .milliseconds(interval))
                    }
                    try await writer.finish(nil)
                })
        }
    }

    static func hummingbirdResponse(_ response: APIResponse, body: ResponseBody? = nil) -> Response {
        var fields = HTTPFields()
        for header in response.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: body ?? ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}
