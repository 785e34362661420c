import ArgumentParser
import Foundation
import GatewayAudit

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove the history, or an exported report, was not edited.",
        discussion: """
            Without FILE: recomputes every gateway's snapshot chain, the stored changes and every run record, \
            and prints `ok` and the chain head, or the first broken link. With FILE: checks the file against its \
            manifest, its signature (--public-key), and with --db that its chain head belongs to that history.
            Exit status 5 when anything does not verify, a FILE whose manifest is missing included; 2 when there is \
            no FILE at the path; 74 when FILE cannot be read to the end.

            Example: gateway-audit verify changes.UTC.csv --public-key audit.pub --db history.sqlite
            """
    )

    @Argument(
        help: ArgumentHelp(
            "An exported report; its .manifest.json must be beside it (without one it does not verify).",
            valueName: "file"))
    var file: String?

    @Option(
        name: .customLong("public-key"),
        help: ArgumentHelp("The Ed25519 public key the manifest must be signed with.", valueName: "file"))
    var publicKey: String?

    @Option(
        name: .long,
        help: ArgumentHelp("History database (for a FILE: also check it belongs to this history).", valueName: "path"))
    var db: String?

    func run() async throws {
        let out = StandardOutput()
        defer { out.flush() }
        if let file {
            let store = try db.map { HistoryQueries(try HistoryDatabase.open(path: $0, readOnly: true)) }
            let check = try ReportExport.verify(path: file, publicKeyPath: publicKey, store: store)
            for line in check.passed { out.write("ok: \(line)\n") }
            if let first = check.problems.first {
                out.flush()
                throw CommandFailure(status: .verification, description: "\(file): \(first)")
            }
            out.write("ok\n")
            return
        }
        let path = DatabaseOption(db: db).path
        let database = try HistoryDatabase.open(path: path, readOnly: true)
        let verification = try HistoryVerifier(database).verify()
        // Read as it stood (a folder this user cannot write): a collector that started meanwhile would make
        // its changes look like tampering.
        try database.confirmUnchanged()
        if let first = verification.problems.first {
            throw CommandFailure(
                status: .verification,
                // The database as opened names it: a PostgreSQL URL without its password.
                description: "\(database.path): \(first)"
                    + (verification.problems.count > 1 ? " (and \(verification.problems.count - 1) more)" : ""))
        }
        out.write("ok: \(verification.snapshots) snapshots and \(verification.runs) runs verified\n")
        out.write("chain head \(verification.chainHead)\n")
    }
}
