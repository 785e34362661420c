import Foundation
import GatewayAuditCore
import Logging

/// Adds authentication to requests: a fixed token, an AK/SK signature, or an IAM token obtained with
/// a password once per run and renewed when it expires or is rejected.
actor Authenticator {
    private let credentials: Credentials
    private let projectID: String
    private var cached: (value: String, expiresAt: Instant?)?
    /// Tokens already renewed after a rejection (each token is renewed at most once).
    private var renewedAfterRejection: Set<String> = []
    private let fetchToken: @Sendable () async throws(ClientError) -> (String, Instant?)

    init(credentials: Credentials, projectID: String, fetchToken: @escaping @Sendable () async throws(ClientError) -> (String, Instant?)) {
        self.credentials = credentials
        self.projectID = projectID
        self.fetchToken = fetchToken
    }

    /// The request with its authentication headers; obtains an IAM token first when needed.
    func authorize(_ request: HTTPRequest, now: Instant) async throws(ClientError) -> HTTPRequest {
        var request = request
        switch credentials {
        case .token(let token):
            request.headers.append(("X-Auth-Token", token))
        case .accessKey(let signer):
            request.headers.append(("X-Project-Id", projectID))
            let signed = signer.sign(
                method: request.method, url: request.url,
                headers: Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }),
                body: request.body, date: now)
            for (name, value) in signed.headers.sorted(by: { $0.key < $1.key }) where name != "Host" {
                request.headers.append((name, value))
            }
        case .password:
            let token = try await currentToken(now: now)
            request.headers.append(("X-Auth-Token", token))
        }
        return request
    }

    /// Called after a 401 with the token a request carried: true when a fresh token was obtained and
    /// the request may be sent once more (IAM password credentials only, once per token).
    func renewAfterRejection(of request: HTTPRequest) async throws(ClientError) -> Bool {
        guard case .password = credentials, let used = request.header("X-Auth-Token") else { return false }
        if let cached, cached.value != used { return true }
        guard renewedAfterRejection.insert(used).inserted else { return false }
        cached = nil
        let fresh = try await fetchToken()
        cached = fresh
        return true
    }

    private func currentToken(now: Instant) async throws(ClientError) -> String {
        if let cached, cached.expiresAt.map({ $0 > now.adding(seconds: 300) }) ?? true {
            return cached.value
        }
        let fresh = try await fetchToken()
        cached = fresh
        return fresh.0
    }
}
