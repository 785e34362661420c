import GatewayAuditCore

/// What a new run records about itself.
public struct RunInfo: Sendable, Hashable {
    /// The API endpoint (no credentials).
    public var endpoint: String
    /// The project id.
    public var projectID: String
    /// What the run observes.
    public var scope: RunScope
    /// The tool version.
    public var toolVersion: String
    /// The account, cloud, region and project the run belongs to (its own lock, run-record chain and head).
    public var scopeKey: ScopeKey

    /// Creates run metadata.
    /// - Parameter scopeKey: nil for a single-scope run: cloud and region as `endpoint` names them.
    public init(
        endpoint: String, projectID: String, scope: RunScope, toolVersion: String = GatewayAuditVersion.current,
        scopeKey: ScopeKey? = nil
    ) {
        self.endpoint = endpoint
        self.projectID = projectID
        self.scope = scope
        self.toolVersion = toolVersion
        self.scopeKey = scopeKey ?? ScopeKey(endpoint: endpoint, projectID: projectID)
    }
}
