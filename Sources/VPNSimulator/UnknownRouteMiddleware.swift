import Hummingbird

/// Answers a path the simulator does not serve the way the cloud's API gateway does:
/// `404 {"error_code": "APIGW.0101", ...}` instead of an empty body.
struct UnknownRouteMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    func handle(
        _ request: Request, context: SimulatorRequestContext,
        next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            let response = APIResponse.error(
                404, code: "APIGW.0101",
                message: "The API does not exist or has not been published in the environment: "
                    + "\(request.method.rawValue) \(request.uri.path)",
                requestID: "simulator-unknown-route")
            return SimulatorServer.hummingbirdResponse(response)
        }
    }
}
