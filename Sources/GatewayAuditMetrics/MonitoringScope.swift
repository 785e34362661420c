import GatewayAuditCore

/// Which scope a run covered, as monitoring labels: `account`, `region`, `project_id`, `kind`.
public struct MonitoringScope: Sendable, Hashable, Codable {
    /// The estate account name; empty until an estate file names accounts.
    public var account: String
    /// The cloud region (may be empty when only an endpoint was given).
    public var region: String
    /// The project id.
    public var projectID: String
    /// The resource kind the run collected.
    public var kind: String

    /// The only resource kind collected today.
    public static let customerGatewayKind = "customer-gateway"

    /// Creates a scope; `kind` defaults to customer gateways.
    public init(
        account: String = "", region: String, projectID: String, kind: String = MonitoringScope.customerGatewayKind
    ) {
        self.account = account
        self.region = region
        self.projectID = projectID
        self.kind = kind
    }

    /// The labels in the order every metric carries them.
    public var labels: [(String, String)] {
        [("account", account), ("region", region), ("project_id", projectID), ("kind", kind)]
    }

    enum CodingKeys: String, CodingKey {
        case account, region, kind
        case projectID = "project_id"
    }
}
