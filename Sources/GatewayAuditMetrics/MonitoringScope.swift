import GatewayAuditCore

/// Which scope a run covered, as monitoring labels: `account`, `region`, `project_id`, `kind`.
public struct MonitoringScope: Sendable, Hashable, Codable {
    /// The estate account name; empty until an estate file names accounts.
    public var account: String
    /// The cloud region (may be empty when only an endpoint was given).
    public var region: String
    /// The project id.
    public var projectID: String
    /// The resource kinds the run collected: `all`, or the kinds asked for with `--kind`, joined by `,`.
    public var kind: String

    /// The label value of a run that collects every kind.
    public static let allKinds = "all"

    /// The label value for a run collecting `kinds` (empty or every kind: `all`).
    public static func kindLabel(_ kinds: [ResourceKind]) -> String {
        let set = Set(kinds)
        if set.isEmpty || set.count == ResourceKind.allCases.count { return allKinds }
        return ResourceKind.allCases.filter(set.contains).map(\.rawValue).joined(separator: ",")
    }

    /// Creates a scope; `kind` defaults to every kind.
    public init(account: String = "", region: String, projectID: String, kind: String = MonitoringScope.allKinds) {
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
