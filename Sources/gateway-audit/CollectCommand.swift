import ArgumentParser
import Foundation
import GatewayAudit
import GatewayAuditMetrics
import GatewayAuditOperations
import Logging

struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Fetch VPN resources and record what changed (one collection run).",
        discussion: """
            Credentials come from HW_ACCESS_KEY/HW_SECRET_KEY (optional HW_SECURITY_TOKEN), or HW_AUTH_TOKEN, \
            or HW_USER_NAME/HW_PASSWORD/HW_DOMAIN_NAME with HW_AUTH_URL or HW_REGION_NAME. Region and \
            project from HW_REGION_NAME and HW_PROJECT_ID. Without --id, every customer gateway, VPN gateway and VPN \
            connection of the project is listed (--kind narrows it; a kind whose list the API refuses with 403 is \
            skipped with one line on standard error and the run is partial).
            Prints one summary line with the counts (with --quiet: nothing on a clean night); logs go to \
            standard error. --metrics-file, --heartbeat and --notify tell monitoring and people how the run went.

            With --config (or $GATEWAY_AUDIT_CONFIG), every (account, region, project) scope of the estate \
            file is collected, --scope-concurrency at once, each its own run; --account, --region and --project \
            narrow it. One summary line per scope, then a total line.

            Example (cron): 0 2 * * * cd /var/lib/gateway-audit && gateway-audit collect --quiet
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp("API base URL. Default: https://vpn.<region>.myhuaweicloud.com.", valueName: "url"))
    var endpoint: String?

    @Option(
        name: .customLong("project-id"), help: ArgumentHelp("Project id. Default: $HW_PROJECT_ID.", valueName: "id"))
    var projectID: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Region. Default: $HW_REGION_NAME. With --config: only this region.", valueName: "region"))
    var region: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Estate file (TOML): every scope in one run. Default: $GATEWAY_AUDIT_CONFIG.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("With --config: only this account.", valueName: "name"))
    var account: String?

    @Option(name: .long, help: ArgumentHelp("With --config: only this project id.", valueName: "id"))
    var project: String?

    @Option(
        name: .customLong("scope-concurrency"), parsing: .unconditional,
        help: "With --config: scopes collected at once (1-64).")
    var scopeConcurrency: Int = 4

    @Option(
        name: .customLong("id"),
        help: ArgumentHelp("Fetch only this resource (repeatable; any kind already recorded).", valueName: "id"))
    var ids: [String] = []

    @Option(
        name: .customLong("kind"),
        help: ArgumentHelp(
            "Collect only this kind (repeatable): customer-gateway, vpn-gateway or vpn-connection. Default: all.",
            valueName: "kind"))
    var kinds: [ResourceKind] = []

    @Option(
        name: .customLong("ids-file"),
        help: ArgumentHelp("Fetch the gateway ids listed in this file, one per line.", valueName: "file"))
    var idsFile: String?

    @OptionGroup var database: DatabaseOption

    @Option(name: .long, parsing: .unconditional, help: "Requests in flight at once (1-64).")
    var concurrency: Int = 8

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp("At most this many requests per second.", valueName: "per-second"))
    var rate: Double?

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "Seconds per request, from sending it to its answer's last byte, before it is retried (an answer silent for 60 s ends sooner).",
            valueName: "seconds"))
    var timeout: Double = 30

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp("Seconds the whole run may take.", valueName: "seconds"))
    var deadline: Double?

    @Option(
        name: .customLong("lock-wait"), parsing: .unconditional,
        help: ArgumentHelp("Seconds to wait while another run holds the database.", valueName: "seconds"))
    var lockWait: Double = 60

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("Also trust the CA certificates in this PEM file.", valueName: "file"))
    var caFile: String?

    @Flag(
        name: .long,
        help: "Nothing on a clean night (no change, new, gone or failure); else the summary line and errors.")
    var quiet = false

    @Option(name: .long, help: "Progress bar on standard error: auto (only on a terminal), always or never.")
    var progress: ProgressMode = .auto

    @OptionGroup(title: "Monitoring and notifications")
    var operations: OperationsOptions

    @Option(
        name: .customLong("log-level"),
        help:
            "trace, debug, info, notice, warning, error or critical. Default: $GATEWAY_AUDIT_LOG_LEVEL, else warning (error with --quiet)."
    )
    var logLevel: LogLevelArgument?

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
        // Bounded above too: a time such as `inf` or 1e30 s cannot be a Duration (the process would trap).
        if let rate, !(0.001...100_000).contains(rate) {
            throw ValidationError("--rate must be between 0.001 and 100000 requests per second")
        }
        guard timeout > 0 && timeout <= 3_600 else {
            throw ValidationError("--timeout must be greater than 0 and at most 3600 seconds")
        }
        if let deadline, !(deadline > 0 && deadline <= 604_800) {
            throw ValidationError("--deadline must be greater than 0 and at most 604800 seconds (7 days)")
        }
        guard lockWait >= 0 && lockWait <= 86_400 else {
            throw ValidationError("--lock-wait must be between 0 and 86400 seconds")
        }
        guard (1...64).contains(scopeConcurrency) else {
            throw ValidationError("--scope-concurrency must be between 1 and 64")
        }
        if ids.contains(where: { Self.trimmed($0[...]).isEmpty }) {
            throw ValidationError("--id needs a resource id; an empty one (an unset shell variable?) is refused")
        }
        try operations.validate()
    }

    func run() async throws {
        let environment = CloudEnvironment()
        let (settings, settingsProblem) = operations.resolution(environment)
        // One-project options on the command line win over an estate file named in the environment (a
        // hand run on a machine whose nightly job sets GATEWAY_AUDIT_CONFIG); `--config` with them is refused.
        let oneProject = endpoint != nil || projectID != nil || !ids.isEmpty || idsFile != nil
        if let config = config ?? (oneProject ? nil : environment["GATEWAY_AUDIT_CONFIG"]) {
            try await collectEstate(config, environment: environment, settings: settings, problem: settingsProblem)
            return
        }
        let region = self.region ?? environment["HW_REGION_NAME"]
        let project = projectID ?? environment["HW_PROJECT_ID"]
        let endpointText = endpoint ?? region.map { Cloud.huawei.vpnEndpoint(region: $0) }
        var logger = StderrLogHandler.logger(
            "gateway-audit",
            level: logLevel?.level
                ?? environment["GATEWAY_AUDIT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
                ?? (quiet ? .error : .warning))
        if let region { logger[metadataKey: "region"] = "\(region)" }
        if let project { logger[metadataKey: "project"] = "\(project)" }
        // A CA file that cannot be read fails the run below; the heartbeat and notifications still go out,
        // trusting the system's roots.
        let reporting = settings.needsTransport ? Self.reportingTransport(caFile: caFile) : nil
        let publisher = publisher(settings, transport: reporting, logger: logger)
        let startedAt = Instant.now
        await publisher.heartbeat?.start()
        var summary: RunSummary?
        var failure: (any Error)?
        do {
            // Settings and flags that cannot work fail the run here, after the heartbeat's start: monitoring
            // hears of a nightly job that broke its configuration as of any other failed run.
            if let settingsProblem { throw settingsProblem }
            if self.account != nil || self.project != nil {
                throw CommandFailure(
                    status: .usage,
                    description: "--account and --project narrow an estate file: pass --config (or use --project-id)")
            }
            let done = try await collectOnce(
                environment: environment, region: region, project: project, endpoint: endpointText, logger: logger)
            summary = done
            failure = Self.failure(of: done)
        } catch {
            failure = error
        }
        let status = failure.map { ExitStatus($0) } ?? .success
        let outcome = await publisher.publish(
            RunOutcome(
                scope: MonitoringScope(
                    region: region ?? "", projectID: project ?? "", kind: MonitoringScope.kindLabel(kinds)),
                endpoint: endpointText ?? "",
                selection: ids.isEmpty && idsFile == nil ? .all : .ids, summary: summary, startedAt: startedAt,
                finishedAt: .now, exitCode: status.rawValue, message: failure.map { "\($0)" }))
        if let reporting { await Self.shutDown(reporting, logger: logger) }
        // Quiet: nothing at all on a clean night, so cron mails only when there is news.
        if let summary, !(quiet && outcome.isClean) { print(summary.line) }
        if let failure { throw failure }
    }

    /// One collection run; the summary holds client failures, thrown errors are configuration or store errors.
    private func collectOnce(
        environment: CloudEnvironment, region: String?, project: String?, endpoint: String?, logger: Logger
    ) async throws -> RunSummary {
        let credentials = try environment.credentials(region: region)
        guard let project else {
            throw CommandFailure(status: .usage, description: "no project id: set HW_PROJECT_ID or pass --project-id")
        }
        guard let endpoint, let endpointURL = URL(string: endpoint) else {
            throw CommandFailure(
                status: .usage, description: "no endpoint: set HW_REGION_NAME, pass --region, or pass --endpoint")
        }
        let requested = try requestedIDs()
        let transport = try HTTP1Transport(caFile: caFile)
        let summary: RunSummary
        do {
            // Every exit from here shuts the HTTP client down exactly once.
            summary = try await collect(
                using: transport, endpoint: endpointURL, project: project, credentials: credentials, ids: requested,
                logger: logger)
        } catch {
            await Self.shutDown(transport, logger: logger)
            throw error
        }
        await Self.shutDown(transport, logger: logger)
        return summary
    }

    private func collect(
        using transport: HTTP1Transport, endpoint: URL, project: String, credentials: Credentials,
        ids: [GatewayID]?, logger: Logger
    ) async throws -> RunSummary {
        let client = try VPNClient(
            endpoint: endpoint, projectID: project, credentials: credentials, transport: transport,
            requestTimeout: .seconds(timeout), deadline: deadline.map { .seconds($0) },
            logger: logger)
        let history = try HistoryDatabase.open(path: database.path)
        let showProgress = !quiet && (progress == .always || (progress == .auto && isatty(STDERR_FILENO) == 1))
        let bar = showProgress ? ProgressBar() : nil
        defer { bar?.finish() }
        return try await Collector(
            client: client, database: history,
            options: CollectorOptions(
                ids: ids, concurrency: concurrency, requestsPerSecond: rate, lockWait: .seconds(lockWait),
                kinds: kinds),
            logger: logger, progress: { bar?.draw($0) }
        ).run()
    }
}
