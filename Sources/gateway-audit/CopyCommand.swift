import ArgumentParser
import Foundation
import GatewayAudit

struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole history between stores (SQLite → PostgreSQL, and back), keeping run ids and chains.",
        discussion: """
            Runs are copied oldest first, one transaction each, with their ids, snapshot sequence numbers, chain \
            links and sealed records; `gateway-audit verify --db TARGET` passes afterwards. Re-running after an \
            interruption continues after the last copied run. A run still running in the source ends the copy \
            before it (exit 1; copy again once it has ended). A target holding another history under the \
            same run ids is refused (exit 2). Stop collectors writing the target while copying.

            Example: gateway-audit copy --from history.sqlite --to postgres://audit@db.example:5432/audit
            """
    )

    @Option(help: ArgumentHelp("The history to read (a file path or a postgres:// URL).", valueName: "db"))
    var from: String

    @Option(help: ArgumentHelp("The history to write (created when new).", valueName: "db"))
    var to: String

    func validate() throws {
        if from == to { throw ValidationError("--from and --to name the same history") }
    }

    func run() async throws {
        let source = try HistoryDatabase.open(path: from, readOnly: true)
        let target = try HistoryDatabase.open(path: to)
        let summary = try HistoryCopier(from: source, to: target).copy()
        print(
            "copied \(summary.copied) run(s) and \(summary.snapshots) snapshot(s) from \(source.path) to \(target.path)"
                + (summary.alreadyPresent > 0 ? "; \(summary.alreadyPresent) run(s) were already there" : "")
                + "; chain head \(try HistoryQueries(target).historyHead())")
        if let running = summary.stoppedAt {
            throw CommandFailure(
                status: .partial,
                description: "run \(running) is still running in \(source.path) (a collection in progress, or one a "
                    + "killed process left, which that scope's next run closes): the runs before it were copied; "
                    + "copy again once it has ended")
        }
    }
}
