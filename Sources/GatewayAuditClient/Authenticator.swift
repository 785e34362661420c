import Foundation
import GatewayAuditCore
import HTTPTypes

/// Adds authentication to requests: a fixed token, an AK/SK signature, or an IAM token obtained with
/// a password (held by a ``TokenCache`` that renews it single-flight when it expires or is rejected).
struct Authenticator: Sendable {
    private let credentials: Credentials
    private let projectID: String
    private let time: any TimeSource
    /// The IAM token of password credentials; nil for the other kinds.
    private let tokens: TokenCache?
    /// ``Credentials/rejectionsLockCredentials`` of the credentials it adds.
    var rejectionsLockCredentials: Bool { credentials.rejectionsLockCredentials }

    init(credentials: Credentials, projectID: String, time: any TimeSource, tokens: TokenCache?) {
        self.credentials = credentials
        self.projectID = projectID
        self.time = time
        self.tokens = tokens
    }

    /// A request with its authentication headers.
    struct Authorized: Sendable {
        var request: ClientRequest
        /// True when it carries an IAM token issued while this request waited for it: a rejection of that
        /// token is IAM's final word. False for every other credential, and for a cached token.
        var freshToken = false
    }

    /// The request with its authentication headers; obtains an IAM token first when needed.
    /// - Throws: ``ClientError`` from obtaining the IAM token (or `.cancelled`).
    func authorize(_ request: ClientRequest) async throws(ClientError) -> Authorized {
        var request = request
        var freshToken = false
        switch credentials {
        case .token(let token):
            try request.headerFields.append(named: "X-Auth-Token", value: token)
        case .accessKey(let signer):
            try request.headerFields.append(named: "X-Project-Id", value: projectID)
            var headers: [String: String] = [:]
            for field in request.headerFields where headers[field.name.rawName] == nil {
                headers[field.name.rawName] = field.value
            }
            let signed = signer.sign(
                method: request.method.rawValue, url: request.url, headers: headers, body: request.body, date: time.now)
            for (name, value) in signed.headers.sorted(by: { $0.key < $1.key }) where name != "Host" {
                try request.headerFields.append(named: name, value: value)
            }
        case .password:
            guard let tokens else { throw .invalidConfiguration("no IAM token cache for password credentials") }
            let token = try await tokens.token(now: time.now)
            try request.headerFields.append(named: "X-Auth-Token", value: token.value)
            freshToken = token.awaited
        }
        return Authorized(request: request, freshToken: freshToken)
    }

    /// Called after a 401 with the request that carried the rejected credentials: true when an IAM
    /// token was dropped so that the next ``authorize(_:)`` obtains (or joins) a renewal.
    func renewAfterRejection(of request: ClientRequest) async -> Bool {
        guard let tokens, let used = request.headerFields.value(named: "X-Auth-Token") else { return false }
        await tokens.invalidate(used)
        return true
    }
}
