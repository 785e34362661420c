import Foundation
import GatewayAuditCore
import Logging

/// What fetching one gateway found.
public enum GatewayFetch: Sendable, Hashable {
    /// The gateway exists.
    case present(CustomerGateway)
    /// 404: the gateway does not exist (any more).
    case gone
}

/// What fetching one resource found.
public enum ResourceFetch: Sendable, Hashable {
    /// The resource exists.
    case present(Resource)
    /// 404: the resource does not exist (any more).
    case gone
}

/// The Enterprise Edition VPN v5 API for customer gateways, VPN gateways and VPN connections: authenticated, retried, paged (listing: `VPNClient+Listing.swift`).
public struct VPNClient: Sendable {
    /// The API base URL (`https://vpn.{region}.myhuaweicloud.com`).
    public let endpoint: URL
    /// The project id in every path.
    public let projectID: String
    /// The time requests are signed with and observations are stamped with.
    public let time: any TimeSource
    /// The clock retries wait on and the deadline is measured on.
    public var clock: any Clock<Duration> { pipeline.stopwatch.clock }
    /// Whether rejected requests count against the credentials (more than 5 consecutive 401s lock an
    /// access key for 5 minutes; failed IAM logins lock a user): a run then sends one request alone
    /// before the others. ``Credentials/rejectionsLockCredentials``.
    public var rejectionsLockCredentials: Bool { authenticator.rejectionsLockCredentials }
    let pipeline: RequestPipeline
    let authenticator: Authenticator
    /// `{endpoint}/v5/{project_id}/`, built once: every request URL is this and a suffix.
    let requestPrefix: String
    let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - retry: attempts and backoff for every request, the IAM token request included.
    ///   - requestTimeout: how long one attempt may take.
    ///   - deadline: how long the client may work, measured on `clock` from now: no attempt or retry
    ///     wait goes past it; then ``ClientError/deadlineExceeded``. Nil for no limit.
    ///   - time: the instant requests are signed with (the simulator's virtual night in the demo).
    ///   - clock: what retry waits sleep on and the deadline is measured on (tests pass one that
    ///     records the waits instead of spending them).
    ///   - variablesToCheck: what a rejection tells the user to check (default: the `HW_*` variables
    ///     of `credentials`; an estate names its file's variables).
    /// - Throws: ``ClientError/insecureEndpoint(_:)`` for plain http to anything but loopback,
    ///   ``ClientError/invalidURL(_:)`` for an endpoint no request URL can be built from, and
    ///   ``ClientError/invalidConfiguration(_:)`` without a project id.
    public init(
        endpoint: URL, projectID: String, credentials: Credentials, transport: any Transport,
        retry: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(30), deadline: Duration? = nil,
        logger: Logger = Logger(label: "gateway-audit.client"), time: any TimeSource = SystemTime(),
        clock: any Clock<Duration> = ContinuousClock(), variablesToCheck: String? = nil
    ) throws(ClientError) {
        try VPNClient.checkSecure(endpoint, what: "endpoint")
        if case .password(let identity) = credentials { try VPNClient.checkSecure(identity.tokenURL, what: "IAM URL") }
        if projectID.isEmpty { throw .invalidConfiguration("no project id: set HW_PROJECT_ID or pass --project-id") }
        self.endpoint = endpoint
        self.projectID = projectID
        requestPrefix = try VPNClient.requestPrefix(endpoint: endpoint, projectID: projectID)
        self.time = time
        self.logger = logger
        let pipeline = RequestPipeline(
            transport: transport, retry: retry, requestTimeout: requestTimeout, deadline: deadline,
            stopwatch: Stopwatch(clock: clock), variablesToCheck: variablesToCheck ?? credentials.variablesToCheck,
            logger: logger)
        self.pipeline = pipeline
        var tokens: TokenCache?
        if case .password(let identity) = credentials {
            let iam = IAMTokenRequest(identity: identity, projectID: projectID)
            tokens = TokenCache { () async -> Result<IAMToken, ClientError> in
                do throws(ClientError) {
                    return .success(try await iam.fetch(using: pipeline))
                } catch {
                    return .failure(error)
                }
            }
        }
        authenticator = Authenticator(credentials: credentials, projectID: projectID, time: time, tokens: tokens)
    }

    /// Fetches one customer gateway.
    /// - Throws: ``ClientError``; a 404 is not an error but ``GatewayFetch/gone``.
    public func gateway(_ id: GatewayID) async throws(ClientError) -> GatewayFetch {
        switch try await resource(.customerGateway, id) {
        case .present(let resource): .present(CustomerGateway(resource: resource))
        case .gone: .gone
        }
    }

    /// Fetches one resource of `kind`.
    /// - Throws: ``ClientError``; a 404 is not an error but ``ResourceFetch/gone``.
    public func resource(_ kind: ResourceKind, _ id: GatewayID) async throws(ClientError) -> ResourceFetch {
        let url = try path(kind.pathSegment + "/" + PercentEncoding.encode(id.rawValue))
        let response = try await perform(
            ClientRequest(method: .get, url: url), allowNotFound: true, context: id.rawValue)
        if response.status.code == 404 { return .gone }
        do {
            return .present(try ResourceResponse(kind: kind, data: response.body).resource)
        } catch {
            let what = kind == .customerGateway ? "gateway" : kind.noun
            throw .invalidResponse("\(what) \(id): \(error)", requestID: response.requestID)
        }
    }

    /// The URL of `suffix` (already percent-encoded) under `/v5/{project_id}/`, with an optional
    /// encoded query.
    /// - Throws: ``ClientError/invalidURL(_:)`` when no URL can be built; never falls back to another URL.
    func path(_ suffix: String, query: String? = nil) throws(ClientError) -> URL {
        var text = requestPrefix + suffix
        if let query { text += "?" + query }
        guard let url = URL(string: text) else {
            throw .invalidURL("cannot build a request URL from endpoint \(endpoint.absoluteString) and path \(suffix)")
        }
        return url
    }

    /// The text every request URL starts with: the endpoint with `/v5/{project_id}/` after its path.
    /// - Throws: ``ClientError/invalidURL(_:)`` when the endpoint has a query or fragment (the path
    ///   would land inside it) or cannot be taken apart.
    static func requestPrefix(endpoint: URL, projectID: String) throws(ClientError) -> String {
        guard var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false) else {
            throw .invalidURL("endpoint \(endpoint.absoluteString) cannot be taken apart into URL components")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .invalidURL(
                "endpoint \(endpoint.absoluteString) has a query or fragment; pass the API base URL only, e.g. https://vpn.<region>.myhuaweicloud.com"
            )
        }
        var basePath = components.percentEncodedPath
        while basePath.hasSuffix("/") { basePath.removeLast() }
        components.percentEncodedPath = basePath + "/v5/" + PercentEncoding.encode(projectID) + "/"
        // A prefix that parses alone parses with any percent-encoded suffix: `path` cannot fail later.
        guard let prefix = components.string, URL(string: prefix) != nil else {
            throw .invalidURL("cannot build a request URL from endpoint \(endpoint.absoluteString)")
        }
        return prefix
    }

    static func checkSecure(_ url: URL, what: String) throws(ClientError) {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw .insecureEndpoint("\(what) \"\(url.absoluteString)\" is not an http(s) URL")
        }
        // Checked first, so that no message shows it: a password in the URL would be sent nowhere useful and
        // would be recorded with every run (and printed in every export's manifest).
        if url.user != nil || url.password != nil {
            throw .insecureEndpoint(
                "refusing \(what) with a user name or password in it (user@host): the API signs requests with the "
                    + "keys, token or IAM password from the environment; remove it from the URL")
        }
        if scheme == "https" { return }
        if scheme == "http" && Loopback.isLoopback(host: host) { return }
        throw .insecureEndpoint(
            "refusing \(what) \(url.absoluteString): only https is allowed (plain http only to 127.0.0.1/localhost, e.g. the simulator)"
        )
    }
}
