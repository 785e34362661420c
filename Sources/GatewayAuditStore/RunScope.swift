import GatewayAuditCore

/// What a run set out to observe; the text is what the `run.scope` column holds.
public enum RunScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// The whole project, from the paged listing.
    case all
    /// An explicit list of ids (`--id`, `--ids-file`).
    case ids
    /// Saved responses backfilled by `gateway-audit import`.
    case `import`
}
