import Foundation
import GatewayAuditCore

/// How requests are authenticated. Secrets never appear in `description`.
public enum Credentials: Sendable, CustomStringConvertible {
    /// A ready token sent as `X-Auth-Token` (`HW_AUTH_TOKEN`).
    case token(String)
    /// AK/SK request signing (`HW_ACCESS_KEY`, `HW_SECRET_KEY`, optional `HW_SECURITY_TOKEN`).
    case accessKey(AKSKSigner)
    /// IAM password authentication; a project-scoped token is obtained once per run and renewed.
    case password(PasswordIdentity)

    public var description: String {
        switch self {
        case .token: return "token (HW_AUTH_TOKEN)"
        case .accessKey(let signer): return "AK/SK \(signer.accessKey)"
        case .password(let identity): return "IAM password for \(identity.userName)@\(identity.domainName)"
        }
    }

    /// Whether rejected requests count against these credentials: more than 5 consecutive 401s lock an
    /// access key for 5 minutes, and failed IAM logins lock a user. A fixed token's 401s lock nothing.
    public var rejectionsLockCredentials: Bool {
        if case .token = self { return false }
        return true
    }

    /// The environment variables a user should check when these credentials are rejected.
    public var variablesToCheck: String {
        switch self {
        case .token: return "HW_AUTH_TOKEN (it may have expired; tokens last 24 h)"
        case .accessKey(let signer):
            return signer.securityToken == nil
                ? "HW_ACCESS_KEY and HW_SECRET_KEY" : "HW_ACCESS_KEY, HW_SECRET_KEY and HW_SECURITY_TOKEN"
        case .password: return "HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME (and HW_PROJECT_ID)"
        }
    }
}

/// An IAM user's password identity and where IAM lives.
public struct PasswordIdentity: Sendable {
    /// IAM user name.
    public let userName: String
    /// Account (domain) name.
    public let domainName: String
    /// The token endpoint, `.../v3/auth/tokens`.
    public let tokenURL: URL
    let password: String

    /// Creates an identity; `authURL` may be IAM's base, its `/v3`, or the full token URL.
    public init(userName: String, password: String, domainName: String, authURL: URL) {
        self.userName = userName
        self.password = password
        self.domainName = domainName
        let path = authURL.path
        if path.hasSuffix("/auth/tokens") {
            tokenURL = authURL
        } else if path.hasSuffix("/v3") || path.hasSuffix("/v3/") {
            tokenURL = authURL.appendingPathComponent("auth").appendingPathComponent("tokens")
        } else {
            tokenURL = authURL.appendingPathComponent("v3").appendingPathComponent("auth").appendingPathComponent(
                "tokens")
        }
    }
}
