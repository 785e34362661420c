import Foundation
import GatewayAuditClient
import GatewayAuditCore

/// One (account, region, project) of an estate: what one run collects.
public struct EstateScope: Sendable {
    /// The account it belongs to.
    public let account: EstateAccount
    /// The region.
    public let region: String
    /// The project id.
    public let projectID: String
    /// The VPN endpoint.
    public let endpoint: String
    /// The credentials, read from the environment.
    public let credentials: Credentials

    /// The scope as runs and gateways record it.
    public var key: ScopeKey {
        ScopeKey(account: account.name, cloud: account.cloud.rawValue, region: region, projectID: projectID)
    }
}
