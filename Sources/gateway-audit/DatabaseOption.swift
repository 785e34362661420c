import ArgumentParser
import Foundation
import GatewayAudit

/// `--db PATH`, defaulting to `$GATEWAY_AUDIT_DB`, else `./gateway-audit.sqlite`.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "History database.", discussion: "Default: $GATEWAY_AUDIT_DB, else ./gateway-audit.sqlite.",
            valueName: "path"))
    var db: String?

    init() {}

    init(db: String?) {
        self.db = db
    }

    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["GATEWAY_AUDIT_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "gateway-audit.sqlite"
    }

    /// Opens the database for reading; never creates one.
    func openForReading() throws -> HistoryQueries {
        HistoryQueries(try HistoryDatabase.open(path: path, readOnly: true))
    }
}
