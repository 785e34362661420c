import ArgumentParser
import GatewayAudit

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List collection runs, newest first, with status and counts.",
        discussion: "A run shown as `running` with no finish was killed; the next run closes it as `aborted`."
    )

    @Option(name: .long, parsing: .unconditional, help: "Show at most this many runs (1 or more).")
    var limit: Int = 50

    @OptionGroup var list: ListOptions

    @OptionGroup(title: "Scopes") var scopes: ScopeOptions

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let zone = list.zoneOption.tz
        let store = try list.database.openForReading()
        let runs = try store.runs(limit: limit, scopes.filter)
        let header = [
            "run", "status", "started", "finished", "observed", "unchanged", "changed", "new", "gone", "failed",
            "message", "account", "region", "project_id", "kinds",
        ]
        let rows = runs.map { r in
            [
                String(r.id), r.status.rawValue, r.startedAt.iso8601(in: zone), r.finishedAt?.iso8601(in: zone) ?? "",
                String(r.counts.observed), String(r.counts.unchanged), String(r.counts.changed), String(r.counts.new),
                String(r.counts.gone), String(r.counts.failed), r.message ?? "", r.scopeKey.account,
                r.scopeKey.region, r.scopeKey.projectID, r.kinds?.map(\.rawValue).joined(separator: ",") ?? "",
            ]
        }
        // With at least one run shown whenever the scopes hold some, no row means none of them has runs.
        let recorded = try runs.isEmpty && !scopes.filter.isEmpty ? store.statistics().runs : 0
        ListPrinter.print(
            header: header, rows: rows, format: list.format,
            empty: recorded > 0
                ? ListPrinter.noMatch("runs", options: ListPrinter.options(scopes.filter), recorded: recorded)
                : "No runs recorded yet.")
    }
}
