import Foundation
import GatewayAuditClient
import GatewayAuditCore

/// Reads an account's secrets from the environment variables its estate file names.
public struct EstateCredentials: Sendable {
    let environment: [String: String]

    /// Reads from `environment` (the process's by default); empty values count as unset.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment.filter { !$0.value.isEmpty }
    }

    /// Checks that every variable `account` names is set.
    /// - Throws: ``EstateError`` at the line of the first key whose variable is unset.
    public func check(_ account: EstateAccount, in estate: Estate) throws(EstateError) {
        for (key, variable) in account.auth.variables where environment[variable] == nil {
            let named =
                Self.mayShow(variable, of: key)
                ? "environment variable \(variable) is not set"
                : "the environment variable it names is not set (the name is not shown: it may be a pasted secret)"
            throw EstateError(
                file: estate.path, line: account.lines[key] ?? 1, key: "account \"\(account.name)\".\(key)",
                problem: named + "; export it (or fix the name)")
        }
    }

    /// Whether an error may echo `variable`, the value of `key`: always for a user or domain name; for the
    /// keys that name a secret's variable only when it reads as a conventional variable name (capitals,
    /// digits and at least one `_`, as `PROD_SK`), since an access key, secret key or token pasted there
    /// is a run of letters and digits without one.
    static func mayShow(_ variable: String, of key: String) -> Bool {
        guard ["access_key_env", "secret_key_env", "security_token_env", "token_env", "password_env"].contains(key)
        else { return true }
        let parts = variable.split(separator: "_", omittingEmptySubsequences: false)
        return variable.count <= 64 && parts.count > 1 && parts.allSatisfy { !$0.isEmpty }
            && variable.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isUppercase || $0.isNumber)) }
    }

    /// The credentials of `account` in `region` (IAM password authentication asks that region's IAM).
    /// - Throws: ``EstateError`` when a variable is unset or the IAM endpoint is not a URL.
    public func credentials(_ account: EstateAccount, region: String, in estate: Estate) throws(EstateError)
        -> Credentials
    {
        try check(account, in: estate)
        func value(_ name: String) -> String { environment[name] ?? "" }
        switch account.auth {
        case .accessKey(let accessKey, let secretKey, let securityToken):
            return .accessKey(
                AKSKSigner(
                    accessKey: value(accessKey), secretKey: value(secretKey), securityToken: securityToken.map(value)))
        case .token(let token):
            return .token(value(token))
        case .password(let user, let password, let domain):
            guard let authURL = URL(string: account.iamEndpoint(region: region)) else {
                throw EstateError(
                    file: estate.path, line: account.lines["iam_endpoints"] ?? 1,
                    key: "account \"\(account.name)\".iam_endpoints", problem: "not a URL for \(region)")
            }
            return .password(
                PasswordIdentity(
                    userName: value(user), password: value(password), domainName: value(domain), authURL: authURL))
        }
    }
}
