import GatewayAuditCore

/// A request as the simulator's engine sees it, independent of the HTTP server that received it.
public struct APIRequest: Sendable, Hashable {
    /// Which route matched.
    public var route: RouteKind
    /// The HTTP method in upper case.
    public var method: String
    /// The path as received, still percent-encoded.
    public var path: String
    /// The raw query string without `?`, or nil.
    public var query: String?
    /// Headers by lower-case name (`host` included).
    public var headers: [String: String]
    /// The body bytes.
    public var body: [UInt8]
    /// The `{project_id}` path parameter, when the route has one.
    public var projectID: String?
    /// The `{id}` path parameter, when the route has one.
    public var gatewayID: GatewayID?

    /// Creates a request.
    public init(
        route: RouteKind, method: String, path: String, query: String? = nil, headers: [String: String] = [:],
        body: [UInt8] = [], projectID: String? = nil, gatewayID: GatewayID? = nil
    ) {
        self.route = route
        self.method = method.uppercased()
        self.path = path
        self.query = query
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        self.headers = lowered
        self.body = body
        self.projectID = projectID
        self.gatewayID = gatewayID
    }

    /// Query parameters, percent-decoded; the last value wins for a repeated key.
    var queryItems: [String: String] {
        guard let query else { return [:] }
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = PercentEncoding.decode(parts[0], plusAsSpace: true)
            items[key] = parts.count > 1 ? PercentEncoding.decode(parts[1], plusAsSpace: true) : ""
        }
        return items
    }
}
