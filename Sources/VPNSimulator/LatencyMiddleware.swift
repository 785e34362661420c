import Hummingbird
import NIOCore

/// Holds every API answer back by a fixed time before it goes out, as a distant region would: the
/// bench's "ideal time" for a collection is only meaningful when each request costs a known wait.
///
/// The wait is a timer on the connection's event loop (``SimulatorRequestContext/hold(until:)``), so a
/// delayed request holds no thread and any number can wait at once; the gauge keeps what every hold
/// really took.
/// The `/_sim/` admin routes are not delayed: a test or bench driving the clock should not pay for
/// the latency it configured for the API.
struct LatencyMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    /// The wait added before each API request is answered.
    let latency: Duration
    /// Counts the requests being held, and how long each was.
    let gauge: RequestGauge

    func handle(
        _ request: Request, context: SimulatorRequestContext,
        next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        guard !request.uri.path.hasPrefix("/_sim/") else { return try await next(request, context) }
        let arrived = NIODeadline.now()
        gauge.enter()
        defer { gauge.leave() }
        try await context.hold(until: arrived + TimeAmount(latency))
        gauge.held(Duration(NIODeadline.now() - arrived))
        return try await next(request, context)
    }
}
