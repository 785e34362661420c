import Foundation
import GatewayAuditCore
import HTTPTypes
import Logging

/// IAM's list of the projects credentials can see (`GET {iam}/v3/auth/projects`), through the same
/// ``RequestPipeline`` as every other call: AK/SK signed, a token as is, or a password exchanged for a
/// domain-scoped token first.
public struct IAMProjectList: Sendable {
    /// IAM's `/v3` base URL.
    public let iamURL: URL
    let credentials: Credentials
    let pipeline: RequestPipeline
    let time: any TimeSource

    /// Creates a lister whose requests (a password's token exchange and the list) end within `deadline`
    /// from now (``ClientError/deadlineExceeded``), each attempt within `requestTimeout`.
    /// - Throws: ``ClientError/insecureEndpoint(_:)`` for plain http to anything but loopback.
    public init(
        iamURL: URL, credentials: Credentials, transport: any Transport, requestTimeout: Duration = .seconds(30),
        deadline: Duration? = nil, logger: Logger = Logger(label: "gateway-audit.iam"),
        time: any TimeSource = SystemTime(),
        variablesToCheck: String? = nil
    ) throws(ClientError) {
        try VPNClient.checkSecure(iamURL, what: "IAM URL")
        self.iamURL = iamURL
        self.credentials = credentials
        self.time = time
        pipeline = RequestPipeline(
            transport: transport, retry: RetryPolicy(), requestTimeout: requestTimeout, deadline: deadline,
            stopwatch: Stopwatch(clock: ContinuousClock()),
            variablesToCheck: variablesToCheck ?? credentials.variablesToCheck,
            logger: logger)
    }

    /// The projects of `region`, by name.
    /// - Throws: ``ClientError``: `.authentication` when IAM rejects the credentials.
    public func projects(region: String) async throws(ClientError) -> [IAMProject] {
        let url = iamURL.appendingPathComponent("auth").appendingPathComponent("projects")
        var request = ClientRequest(method: .get, url: url)
        switch credentials {
        case .token(let token):
            try request.headerFields.append(named: "X-Auth-Token", value: token)
        case .password(let identity):
            try request.headerFields.append(named: "X-Auth-Token", value: try await domainToken(identity))
        case .accessKey(let signer):
            let signed = signer.sign(method: "GET", url: url, headers: [:], body: Data(), date: time.now)
            for (name, value) in signed.headers.sorted(by: { $0.key < $1.key }) where name != "Host" {
                try request.headerFields.append(named: name, value: value)
            }
        }
        let response = try await pipeline.send(request, authenticator: nil, context: "IAM project list")
        let json: JSONValue
        do {
            json = try JSONValue(data: response.body)
        } catch {
            throw .invalidResponse("IAM project list: \(error)", requestID: response.requestID)
        }
        // An answer without its `projects` array says nothing of the region's projects: never "none" (an estate
        // night retires the metrics series of projects its regions no longer list).
        guard let projects = json["projects"]?.arrayValue else {
            throw .invalidResponse(
                "IAM project list: no \"projects\" array in the answer", requestID: response.requestID)
        }
        return projects.compactMap { project -> IAMProject? in
            guard let id = project["id"]?.stringValue, let name = project["name"]?.stringValue,
                project["enabled"]?.boolValue != false
            else { return nil }
            return IAMProject(id: id, name: name)
        }.filter { $0.isIn(region: region) }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// A token scoped to the user's domain (account), which may list its projects.
    private func domainToken(_ identity: PasswordIdentity) async throws(ClientError) -> String {
        let body: JSONValue = .object([
            "auth": .object([
                "identity": .object([
                    "methods": .array([.string("password")]),
                    "password": .object([
                        "user": .object([
                            "name": .string(identity.userName), "password": .string(identity.password),
                            "domain": .object(["name": .string(identity.domainName)]),
                        ])
                    ]),
                ]),
                "scope": .object(["domain": .object(["name": .string(identity.domainName)])]),
            ])
        ])
        let request = ClientRequest(
            method: .post, url: identity.tokenURL, headerFields: [.contentType: "application/json;charset=utf8"],
            body: Data(body.canonicalJSON.utf8))
        let response = try await pipeline.send(
            request, authenticator: nil,
            expecting: RequestPipeline.Expectation(authenticationStatuses: [400, 401, 403]), context: "IAM token")
        guard let token = response.headerFields.value(named: "X-Subject-Token"), !token.isEmpty else {
            throw .invalidResponse("IAM answered without an X-Subject-Token header", requestID: response.requestID)
        }
        return token
    }
}
