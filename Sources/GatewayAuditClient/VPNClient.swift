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

/// The Enterprise Edition VPN v5 customer-gateway API: authenticated, retried, paged (listing: `VPNClient+Listing.swift`).
public struct VPNClient: Sendable {
    /// The API base URL (`https://vpn.{region}.myhuaweicloud.com`).
    public let endpoint: URL
    /// The project id in every path.
    public let projectID: String
    let credentials: Credentials
    let transport: any Transport
    let retry: RetryPolicy
    let requestTimeout: Double
    let deadline: Instant?
    let logger: Logger
    let sleep: @Sendable (Double) async throws -> Void
    let authenticator: Authenticator
    /// The time requests are signed with and observations are stamped with.
    public let time: any TimeSource

    /// Creates a client.
    /// - Parameters:
    ///   - deadline: no request or retry wait goes past it; then ``ClientError/deadlineExceeded``.
    ///   - time: the clock requests are signed with (the simulator's virtual night in the demo).
    ///   - sleep: how to wait between attempts (tests may shorten it).
    /// - Throws: ``ClientError/insecureEndpoint(_:)`` for plain http to anything but loopback.
    public init(
        endpoint: URL, projectID: String, credentials: Credentials, transport: any Transport,
        retry: RetryPolicy = RetryPolicy(), requestTimeout: Double = 30, deadline: Instant? = nil,
        logger: Logger = Logger(label: "gateway-audit.client"), time: any TimeSource = SystemTime(),
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) throws(ClientError) {
        try VPNClient.checkSecure(endpoint, what: "endpoint")
        if case .password(let identity) = credentials { try VPNClient.checkSecure(identity.tokenURL, what: "IAM URL") }
        if projectID.isEmpty { throw .invalidConfiguration("no project id: set HW_PROJECT_ID or pass --project-id") }
        self.endpoint = endpoint
        self.projectID = projectID
        self.credentials = credentials
        self.transport = transport
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.deadline = deadline
        self.logger = logger
        self.sleep = sleep
        self.time = time
        let iam = IAMTokenRequest(credentials: credentials, projectID: projectID)
        let fetch: @Sendable () async throws(ClientError) -> (String, Instant?) = { [transport, retry, requestTimeout, logger] () throws(ClientError) in
            try await iam.fetch(transport: transport, retry: retry, timeout: requestTimeout, logger: logger)
        }
        authenticator = Authenticator(credentials: credentials, projectID: projectID, fetchToken: fetch)
    }

    /// Fetches one gateway.
    /// - Throws: ``ClientError``; a 404 is not an error but ``GatewayFetch/gone``.
    public func gateway(_ id: GatewayID) async throws(ClientError) -> GatewayFetch {
        let url = path("customer-gateways/" + AKSKCanonicalRequest.percentEncode(id.rawValue))
        let response = try await perform(HTTPRequest(method: "GET", url: url), allowNotFound: true, context: id.rawValue)
        if response.status == 404 { return .gone }
        do {
            return .present(try CustomerGatewayResponse(data: response.body).gateway)
        } catch {
            throw .invalidResponse("gateway \(id): \(error)", requestID: response.requestID)
        }
    }

    func path(_ suffix: String, query: String? = nil) -> URL {
        var text = endpoint.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += "/v5/" + AKSKCanonicalRequest.percentEncode(projectID) + "/" + suffix
        if let query { text += "?" + query }
        return URL(string: text) ?? endpoint
    }

    static func checkSecure(_ url: URL, what: String) throws(ClientError) {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw .insecureEndpoint("\(what) \"\(url.absoluteString)\" is not an http(s) URL")
        }
        if scheme == "https" { return }
        if scheme == "http" && isLoopback(host) { return }
        throw .insecureEndpoint(
            "refusing \(what) \(url.absoluteString): only https is allowed (plain http only to 127.0.0.1/localhost, e.g. the simulator)")
    }

    /// `localhost`, `::1` or an IPv4 literal in 127.0.0.0/8; a DNS name such as `127.example.com` is not.
    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "[::1]" { return true }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII) && octet.allSatisfy(\.isNumber)
                && (Int(octet) ?? 256) <= 255
        }
    }
}
