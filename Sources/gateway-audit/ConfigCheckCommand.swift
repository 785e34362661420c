import ArgumentParser
import Foundation
import GatewayAudit
import GatewayAuditEstate
import Logging

struct ConfigCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate an estate file and print the scopes `collect --config` would collect.",
        discussion: """
            Sends no request, except with --resolve: then IAM's project list answers `projects = "all"`. \
            Every environment variable the file names must be set. A problem is one line naming the file, \
            the line and the key (exit 2).

            Example: gateway-audit config check --config /etc/gateway-audit/estate.toml --resolve
            """
    )

    @Option(name: .long, help: ArgumentHelp("Estate file. Default: $GATEWAY_AUDIT_CONFIG.", valueName: "file"))
    var config: String?

    @Flag(name: .long, help: "List the projects of `projects = \"all\"` accounts through IAM.")
    var resolve = false

    @OptionGroup(title: "Scopes") var scopes: ScopeOptions

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("Also trust the CA certificates in this PEM file.", valueName: "file"))
    var caFile: String?

    func run() async throws {
        let environment = CloudEnvironment()
        guard let path = config ?? environment["GATEWAY_AUDIT_CONFIG"] else {
            throw CommandFailure(
                status: .usage, description: "no estate file: pass --config or set GATEWAY_AUDIT_CONFIG")
        }
        let estate = try await CollectCommand.estateOrUsage { () throws(EstateError) in
            try EstateFile.load(path: path)
        }
        let database = try estate.database.map { try Self.shown(database: $0, file: path) }
        let credentials = EstateCredentials(environment: environment.values)
        let logger = StderrLogHandler.logger(
            "gateway-audit",
            level: environment["GATEWAY_AUDIT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning)
        let transport = try HTTP1Transport(caFile: caFile)
        let plan: EstatePlan
        do {
            plan = try await CollectCommand.estateOrUsage { () async throws(EstateError) in
                try await EstatePlan.make(
                    estate: estate, filter: scopes.filter, credentials: credentials, transport: transport,
                    listProjects: resolve, logger: logger)
            }
        } catch {
            await CollectCommand.shutDown(transport, logger: logger)
            throw error
        }
        await CollectCommand.shutDown(transport, logger: logger)
        // A region whose projects could not be listed fails the check: nothing is printed as ok.
        if let first = plan.unlisted.first {
            for unlisted in plan.unlisted {
                StderrLogHandler.write(
                    "gateway-audit: \(unlisted.label): cannot list projects: "
                        + TerminalText.line(unlisted.error.description), level: .error)
            }
            throw CommandFailure(status: ExitStatus(first.error), description: "some projects could not be listed")
        }
        let header = ["account", "cloud", "auth", "region", "project_id", "endpoint"]
        // Names come from the file and project ids from IAM: shown, never sent to the terminal as they are.
        let rows = plan.scopes.map { scope in
            [
                scope.account.name, scope.account.cloud.rawValue, scope.account.auth.name, scope.region,
                scope.projectID == "all" && !resolve ? "all (list with --resolve)" : scope.projectID, scope.endpoint,
            ].map(TerminalText.line)
        }
        let out = StandardOutput()
        out.write(
            "\(path): ok, \(estate.accounts.count) account(s), \(plan.scopes.count) scope(s)"
                + (database.map { ", database \($0)" } ?? "") + "\n")
        if !rows.isEmpty {
            out.write(
                TextTable(header: header.map { $0.uppercased() }, rows: rows).lines.joined(separator: "\n") + "\n")
        }
        out.flush()
    }

    /// The estate's `database` as it may be shown: a PostgreSQL URL without its password (as every message
    /// of the store shows it), on one line.
    /// - Throws: ``CommandFailure`` (usage) for a malformed PostgreSQL URL, naming the file and the key.
    static func shown(database: String, file: String) throws(CommandFailure) -> String {
        guard PostgresLocation.isPostgres(database) else { return TerminalText.line(database) }
        do throws(StoreError) {
            return TerminalText.line(try PostgresLocation.parse(database).redacted)
        } catch {
            // The store's message names --db; this URL comes from the file. Neither echoes the password.
            let detail: String
            if case .invalidLocation(let text) = error { detail = text } else { detail = error.description }
            throw CommandFailure(status: .usage, description: "\(file): database: \(detail)")
        }
    }
}
