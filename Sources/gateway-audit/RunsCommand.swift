import ArgumentParser
import GatewayAudit

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List collection runs, newest first, with status and counts.",
        discussion: "A run shown as `running` with no finish was killed; the next run closes it as `aborted`."
    )

    @Option(name: .long, help: "Show at most this many runs.")
    var limit: Int = 50

    @OptionGroup var list: ListOptions

    @OptionGroup(title: "Scopes") var scopes: ScopeOptions

    func run() async throws {
        let zone = list.zoneOption.tz
        let runs = try list.database.openForReading().runs(limit: limit, scopes.filter)
        let header = [
            "run", "status", "started", "finished", "observed", "unchanged", "changed", "new", "gone", "failed",
            "message", "account", "region", "project_id",
        ]
        let rows = runs.map { r in
            [
                String(r.id), r.status.rawValue, r.startedAt.iso8601(in: zone), r.finishedAt?.iso8601(in: zone) ?? "",
                String(r.counts.observed), String(r.counts.unchanged), String(r.counts.changed), String(r.counts.new),
                String(r.counts.gone), String(r.counts.failed), r.message ?? "", r.scopeKey.account,
                r.scopeKey.region, r.scopeKey.projectID,
            ]
        }
        ListPrinter.print(header: header, rows: rows, format: list.format, empty: "No runs recorded yet.")
    }
}
