/// What a run and a resource belong to: an account of the estate file, its cloud, a region and a
/// project. Single-scope runs (`--endpoint`, `HW_*`) have an empty account.
public struct ScopeKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The estate file's account label; empty for single-scope runs and for history from before scopes.
    public var account: String
    /// `huawei`, `otc`, or empty when the endpoint is neither cloud's (a simulator, a private endpoint).
    public var cloud: String
    /// The region, empty when the endpoint does not name one.
    public var region: String
    /// The project id.
    public var projectID: String

    /// Creates a scope.
    public init(account: String = "", cloud: String = "", region: String = "", projectID: String) {
        self.account = account
        self.cloud = cloud
        self.region = region
        self.projectID = projectID
    }

    /// The scope of a single-scope run: cloud and region as the endpoint names them, no account.
    public init(endpoint: String, projectID: String) {
        let recognised = Cloud.recognise(endpoint: endpoint)
        self.init(cloud: recognised?.cloud.rawValue ?? "", region: recognised?.region ?? "", projectID: projectID)
    }

    /// `account/region/project` as summary lines and logs show it (`-` for an empty part).
    public var description: String {
        [account, region, projectID].map { $0.isEmpty ? "-" : $0 }.joined(separator: "/")
    }

    /// By account, cloud, region, then project.
    public static func < (lhs: ScopeKey, rhs: ScopeKey) -> Bool {
        (lhs.account, lhs.cloud, lhs.region, lhs.projectID) < (rhs.account, rhs.cloud, rhs.region, rhs.projectID)
    }
}
