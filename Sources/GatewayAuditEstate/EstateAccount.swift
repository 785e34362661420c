import GatewayAuditClient
import GatewayAuditCore

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

    /// Whether `error` says this account's key or password itself is wrong (a 401 to AK/SK or password
    /// authentication), so its other scopes and regions are not tried with it: a 403 is one project's
    /// permissions, and a token is scoped to one project.
    func isShutOut(by error: ClientError) -> Bool {
        guard case .authentication(status: 401, _, _, _, _) = error else { return false }
        if case .token = auth { return false }
        return true
    }

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
