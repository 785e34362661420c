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
    /// The kinds the run collects when it collects only some (`--kind`); nil for every kind.
    public var kinds: [ResourceKind]?

    /// The kinds as `run.kinds` records them: their names in ``ResourceKind/allCases`` order joined by `,`;
    /// nil for every kind (or none named).
    public var kindsText: String? {
        guard let kinds else { return nil }
        let chosen = ResourceKind.allCases.filter(kinds.contains)
        guard !chosen.isEmpty, chosen.count < ResourceKind.allCases.count else { return nil }
        return chosen.map(\.rawValue).joined(separator: ",")
    }

    /// Creates run metadata.
    /// - Parameters:
    ///   - scopeKey: nil for a single-scope run: cloud and region as `endpoint` names them.
    ///   - kinds: the kinds collected, nil (or every kind) when not restricted.
    public init(
        endpoint: String, projectID: String, scope: RunScope, toolVersion: String = GatewayAuditVersion.current,
        scopeKey: ScopeKey? = nil, kinds: [ResourceKind]? = nil
    ) {
        self.endpoint = endpoint
        self.projectID = projectID
        self.scope = scope
        self.toolVersion = toolVersion
        self.scopeKey = scopeKey ?? ScopeKey(endpoint: endpoint, projectID: projectID)
        self.kinds = kinds
    }
}
