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
