import GatewayAuditCore

/// An estate file, validated: where the history goes and the accounts to collect. Holds names of
/// environment variables only, never a secret.
public struct Estate: Sendable, Hashable {
    /// The file it was read from.
    public let path: String
    /// The history database, when the file names one.
    public let database: String?
    /// The accounts, in file order.
    public let accounts: [EstateAccount]
}

/// One `[[account]]` of an estate file.
public struct EstateAccount: Sendable, Hashable {
    /// The label, unique in the file: used in reports and filters.
    public let name: String
    /// Huawei Cloud or Open Telekom Cloud.
    public let cloud: Cloud
    /// How requests are authenticated, by environment variable names.
    public let auth: EstateAuth
    /// The regions to collect, in file order.
    public let regions: [String]
    /// The projects to collect in every region.
    public let projects: EstateProjects
    /// VPN endpoints by region, overriding the cloud's default.
    public let endpoints: [String: String]
    /// IAM endpoints (`…/v3`) by region, overriding the cloud's default.
    public let iamEndpoints: [String: String]
    /// Where each key is in the file (for errors found later, such as an unset variable).
    let lines: [String: Int]

    /// What to check when the cloud rejects this account's credentials.
    public var variablesToCheck: String {
        let names = auth.variables.map(\.variable)
        let listed =
            names.count > 1 ? names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "") : names.joined()
        return "\(listed) (account \(name) of the estate file)"
    }

    /// The VPN endpoint of `region`.
    public func endpoint(region: String) -> String {
        endpoints[region] ?? cloud.vpnEndpoint(region: region)
    }

    /// The IAM endpoint (`…/v3`) of `region`.
    public func iamEndpoint(region: String) -> String {
        iamEndpoints[region] ?? cloud.iamEndpoint(region: region)
    }
}

/// How an account authenticates: the names of the environment variables that hold its secrets.
public enum EstateAuth: Sendable, Hashable {
    /// AK/SK signing; `securityToken` for temporary credentials.
    case accessKey(accessKey: String, secretKey: String, securityToken: String?)
    /// A ready IAM token.
    case token(token: String)
    /// IAM password authentication.
    case password(user: String, password: String, domain: String)

    /// The `auth` value in the file.
    public var name: String {
        switch self {
        case .accessKey: return "aksk"
        case .token: return "token"
        case .password: return "password"
        }
    }

    /// The file keys naming variables, with the variable each names.
    var variables: [(key: String, variable: String)] {
        switch self {
        case .accessKey(let accessKey, let secretKey, let securityToken):
            return [("access_key_env", accessKey), ("secret_key_env", secretKey)]
                + (securityToken.map { [("security_token_env", $0)] } ?? [])
        case .token(let token): return [("token_env", token)]
        case .password(let user, let password, let domain):
            return [("user_env", user), ("password_env", password), ("domain_env", domain)]
        }
    }
}

/// Which projects of a region an account collects.
public enum EstateProjects: Sendable, Hashable {
    /// Every project the credentials can see in the region (IAM's project list).
    case all
    /// These project ids, in every region.
    case list([String])
    /// These project ids per region (a project belongs to one region).
    case byRegion([String: [String]])
}
