import ArgumentParser
import Foundation
import GatewayAudit

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Backfill history from saved API responses (single-gateway or list-page JSON files).",
        discussion: """
            Each file's observation time is --observed-at, else a timestamp in its name (2025-03-01T02:00:00Z, \
            2025-03-01T02-00-00Z, 20250301T020000Z, 2025-03-01), else its modification time. Files with the same \
            time form one run; runs are recorded oldest first and must be newer than the database's latest run. \
            Each run is stored whole or not at all: an import stopped midway keeps the runs before the one it \
            stopped in; give it that run's files and the later ones to go on.

            Example: gateway-audit import dumps/*.json --listings-complete --db history.sqlite
            """
    )

    @Argument(help: ArgumentHelp("JSON files to import.", valueName: "file"))
    var files: [String]

    @Option(
        name: .customLong("observed-at"),
        help: ArgumentHelp("Observation time for every file (RFC 3339).", valueName: "time"))
    var observedAt: String?

    @Flag(
        name: .customLong("listings-complete"),
        help: "Each night's files list every gateway: a known gateway missing from them is gone.")
    var listingsComplete = false

    @Option(
        name: .customLong("project-id"),
        help: ArgumentHelp("Project the files come from (recorded with each run).", valueName: "id"))
    var projectID: String = ""

    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one JSON file to import") }
    }

    func run() async throws {
        let at = try observedAt.map { text -> Instant in
            do {
                return try Timestamp(parsing: text).instant
            } catch {
                throw CommandFailure(status: .usage, description: "--observed-at: \(error)")
            }
        }
        let history = try HistoryDatabase.open(path: database.path)
        let importer = SnapshotImporter(database: history, projectID: projectID, listingsComplete: listingsComplete)
        do {
            let summary = try await importer.importFiles(files, observedAt: at)
            let c = summary.counts
            print(
                "imported \(summary.files) file(s) as \(summary.runs) run(s): \(c.observed) observed, \(c.unchanged) unchanged, \(c.changed) changed, \(c.new) new, \(c.gone) gone; chain head \(try HistoryQueries(history).historyHead())"
            )
        } catch let error as ImportError {
            throw CommandFailure(status: .usage, description: error.description)
        }
    }
}
