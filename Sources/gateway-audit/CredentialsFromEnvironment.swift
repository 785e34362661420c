import Foundation
import GatewayAudit

/// Reads the `HW_*` variables users already have (shared with the Huawei Terraform provider).
struct CloudEnvironment {
    let values: [String: String]

    init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    subscript(_ name: String) -> String? { values[name] }

    /// The credentials the variables describe: AK/SK first, then a token, then an IAM password.
    /// - Throws: ``CommandFailure`` (usage) naming the missing or half-set variable.
    func credentials(region: String?) throws -> Credentials {
        let ak = self["HW_ACCESS_KEY"]
        let sk = self["HW_SECRET_KEY"]
        switch (ak, sk) {
        case (let ak?, let sk?):
            return .accessKey(AKSKSigner(accessKey: ak, secretKey: sk, securityToken: self["HW_SECURITY_TOKEN"]))
        case (nil, _?):
            throw CommandFailure(
                status: .usage, description: "HW_SECRET_KEY is set but HW_ACCESS_KEY is not; set both, or neither")
        case (_?, nil):
            throw CommandFailure(
                status: .usage, description: "HW_ACCESS_KEY is set but HW_SECRET_KEY is not; set both, or neither")
        case (nil, nil):
            break
        }
        if let token = self["HW_AUTH_TOKEN"] { return .token(token) }
        if self["HW_USER_NAME"] != nil || self["HW_PASSWORD"] != nil {
            guard let user = self["HW_USER_NAME"], let password = self["HW_PASSWORD"],
                let domain = self["HW_DOMAIN_NAME"]
            else {
                let missing = ["HW_USER_NAME", "HW_PASSWORD", "HW_DOMAIN_NAME"].filter { self[$0] == nil }
                throw CommandFailure(
                    status: .usage,
                    description: "IAM password authentication needs \(missing.joined(separator: " and ")) too")
            }
            let authText = self["HW_AUTH_URL"] ?? region.map { Cloud.huawei.iamEndpoint(region: $0) }
            guard let authText, let authURL = URL(string: authText) else {
                throw CommandFailure(
                    status: .usage,
                    description:
                        "set HW_AUTH_URL (e.g. https://iam.eu-de.otc.t-systems.com/v3) or HW_REGION_NAME for IAM password authentication"
                )
            }
            return .password(PasswordIdentity(userName: user, password: password, domainName: domain, authURL: authURL))
        }
        throw CommandFailure(
            status: .usage,
            description:
                "no credentials: set HW_ACCESS_KEY and HW_SECRET_KEY (or HW_AUTH_TOKEN, or HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME)"
        )
    }
}
