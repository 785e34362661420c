import GatewayAuditCore

/// One collection run as recorded.
public struct RunRecord: Sendable, Hashable {
    /// The run id.
    public let id: Int64
    /// Start.
    public let startedAt: Instant
    /// End; nil while running or when the process died.
    public let finishedAt: Instant?
    /// Outcome.
    public let status: RunStatus
    /// The API endpoint.
    public let endpoint: String
    /// The project.
    public let projectID: String
    /// What the run set out to observe.
    public let scope: RunScope
    /// The tool version that ran it.
    public let toolVersion: String
    /// Observation counts of the committed batches.
    public let counts: RunCounts
    /// Why it failed or was aborted.
    public let message: String?
    /// The account, cloud, region and project it belongs to.
    public var scopeKey = ScopeKey(projectID: "")
    /// The kinds it collected when it collected only some (`--kind`, `run.kinds`); nil for every kind.
    public var kinds: [ResourceKind]? = nil
}

extension RunRecord {
    /// `run.kinds` read back: nil (every kind) for NULL; a name this build does not know is an error, never
    /// dropped.
    /// - Throws: ``StoreError/unknownValue(path:table:column:value:)``.
    static func kinds(stored text: String?, path: String) throws(StoreError) -> [ResourceKind]? {
        guard let text else { return nil }
        var kinds: [ResourceKind] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let kind = ResourceKind(rawValue: String(name)) else {
                throw .unknownValue(path: path, table: "run", column: "kinds", value: text)
            }
            kinds.append(kind)
        }
        return kinds
    }
}
