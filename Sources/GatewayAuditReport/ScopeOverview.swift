import GatewayAuditCore
import GatewayAuditStore

/// The HTML report's opening table: one row per scope (account, region, project) with its gateways
/// present and gone, its changes in the report's range and its last run, linking to its sections.
struct ScopeOverview {
    /// One scope's row; property names are the template's variable names.
    struct Row {
        let anchor: String
        /// The account, `-` when empty (single-project runs).
        let account: String
        /// The region, `-` when empty.
        let region: String
        let project: String
        let present: Int
        let gone: Int
        let changes: Int
        let lastRunStatus: String
        let lastRunTime: String
    }

    let rows: [Row]

    /// Reads the scopes of `gateways` (already filtered) and of the runs `filter` selects.
    /// - Throws: ``StoreError``.
    init(store: any HistoryReading, gateways: [GatewaySummary], filter: ReportFilter, cells: ReportCells) throws {
        var changes: [ScopeKey: Int] = [:]
        try store.forEachChangeRow(filter) { changes[$0.scope, default: 0] += 1 }
        var lastRuns: [ScopeKey: RunRecord] = [:]
        for run in try store.runs(limit: nil) where filter.scopes.matches(run.scopeKey) && lastRuns[run.scopeKey] == nil
        {
            lastRuns[run.scopeKey] = run
        }
        var scopes = Set(gateways.map(\.scope))
        scopes.formUnion(lastRuns.keys)
        rows = scopes.sorted().map { scope in
            let mine = gateways.filter { $0.scope == scope }
            let run = lastRuns[scope]
            return Row(
                anchor: ScopeOverview.anchor(scope), account: scope.account.isEmpty ? "-" : scope.account,
                region: scope.region.isEmpty ? "-" : scope.region, project: scope.projectID,
                present: mine.filter { $0.state == .present }.count,
                gone: mine.filter { $0.state == .gone }.count, changes: changes[scope] ?? 0,
                lastRunStatus: run.map { "\($0.status.rawValue) (run \($0.id))" } ?? "none",
                lastRunTime: run.map { cells.time($0.finishedAt ?? $0.startedAt) } ?? "")
        }
    }

    /// The fragment id of a scope's first section: `scope-` and its parts, letters, digits, `-` and `_` only.
    static func anchor(_ scope: ScopeKey) -> String {
        "scope-"
            + HTMLRenderer.anchor([scope.account, scope.cloud, scope.region, scope.projectID].joined(separator: "_"))
    }
}
