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

    /// Creates run metadata.
    public init(endpoint: String, projectID: String, scope: RunScope, toolVersion: String = GatewayAuditVersion.current)
    {
        self.endpoint = endpoint
        self.projectID = projectID
        self.scope = scope
        self.toolVersion = toolVersion
    }
}
