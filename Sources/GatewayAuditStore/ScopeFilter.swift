import GRDB
import GatewayAuditCore

/// Narrows reads to some scopes: `--account`, `--region`, `--project` (each nil for any).
public struct ScopeFilter: Sendable, Hashable {
    /// Only this account of the estate file.
    public var account: String?
    /// Only this region.
    public var region: String?
    /// Only this project id.
    public var projectID: String?

    /// Creates a filter; the default covers every scope.
    public init(account: String? = nil, region: String? = nil, projectID: String? = nil) {
        self.account = account
        self.region = region
        self.projectID = projectID
    }

    /// True when the filter narrows nothing.
    public var isEmpty: Bool { account == nil && region == nil && projectID == nil }

    /// Whether `scope` passes the filter.
    public func matches(_ scope: ScopeKey) -> Bool {
        (account == nil || account == scope.account) && (region == nil || region == scope.region)
            && (projectID == nil || projectID == scope.projectID)
    }

    /// SQL conditions on the table aliased `alias`, and their arguments.
    func conditions(_ alias: String) -> [(String, String)] {
        var conditions: [(String, String)] = []
        if let account { conditions.append(("\(alias).account = ?", account)) }
        if let region { conditions.append(("\(alias).region = ?", region)) }
        if let projectID { conditions.append(("\(alias).project_id = ?", projectID)) }
        return conditions
    }

    /// ` WHERE …` (or ` AND …` when `and`) over the table aliased `alias`; empty when nothing is narrowed.
    func clause(_ alias: String, and: Bool = false) -> (String, StatementArguments) {
        let conditions = conditions(alias)
        guard !conditions.isEmpty else { return ("", []) }
        return (
            (and ? " AND " : " WHERE ") + conditions.map(\.0).joined(separator: " AND "),
            StatementArguments(conditions.map(\.1))
        )
    }
}
