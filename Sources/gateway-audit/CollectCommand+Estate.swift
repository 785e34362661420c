import Foundation
import GatewayAudit
import GatewayAuditEstate
import GatewayAuditOperations
import Logging

extension CollectCommand {
    /// `collect --config FILE`: every scope of the estate file, one run each, then one line per scope and
    /// a total line. Exit: 0 all complete; 1 any partial or failed; 3 only when every scope was rejected;
    /// 4 a database error; 75 a scope held by another process.
    func collectEstate(
        _ path: String, environment: CloudEnvironment, settings: OperationsOptions.Resolved,
        problem: CommandFailure?
    ) async throws {
        let logger = StderrLogHandler.logger(
            "gateway-audit",
            level: logLevel?.level
                ?? environment["GATEWAY_AUDIT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
                ?? (quiet ? .error : .warning))
        // The heartbeat starts before anything is checked: a nightly job whose estate file, variables or CA
        // file broke pings URL/fail (or its exit code) as any other failed night does.
        let reporting = settings.heartbeat == nil ? nil : Self.reportingTransport(caFile: caFile)
        let heartbeat = settings.heartbeat.flatMap { url in
            reporting.map {
                Heartbeat(
                    url: url, style: operations.heartbeatStyle.style,
                    sender: WebhookSender(transport: $0, policy: .heartbeat), logger: logger)
            }
        }
        await heartbeat?.start()
        let started = ContinuousClock.now
        var transport: HTTP1Transport?
        let outcomes: [ScopeOutcome]
        do {
            if let problem { throw problem }
            if endpoint != nil || projectID != nil || !ids.isEmpty || idsFile != nil {
                throw CommandFailure(
                    status: .usage,
                    description: "--endpoint, --project-id, --id and --ids-file are for one project; "
                        + "with --config the estate file says what to collect (narrow it with --account, --region, --project)"
                )
            }
            if settings.metricsFile != nil || !settings.notify.isEmpty {
                throw CommandFailure(
                    status: .usage,
                    description: "--metrics-file and --notify (and their GATEWAY_AUDIT_* variables) are not supported "
                        + "with --config yet; collect those projects one by one, or use --heartbeat")
            }
            let estate = try await Self.estateOrUsage { () throws(EstateError) in try EstateFile.load(path: path) }
            let filter = ScopeFilter(account: account, region: region, projectID: project)
            let credentials = EstateCredentials(environment: environment.values)
            // Every variable is checked before anything is sent or opened: a bad file collects nothing.
            _ = try await Self.estateOrUsage { () throws(EstateError) in
                try EstatePlan.regions(of: estate, filter: filter, credentials: credentials)
            }
            let client = try HTTP1Transport(caFile: caFile)
            transport = client
            let plan = try await Self.estateOrUsage { () async throws(EstateError) in
                try await EstatePlan.make(
                    estate: estate, filter: filter, credentials: credentials, transport: client,
                    requestTimeout: .seconds(timeout),
                    deadline: deadline.map { .seconds($0) - started.duration(to: .now) },
                    logger: logger)
            }
            let history = try HistoryDatabase.open(path: database.db ?? estate.database ?? database.path)
            let runner = EstateRunner(
                database: history, transport: client,
                options: EstateRunner.Options(
                    scopeConcurrency: scopeConcurrency, concurrency: concurrency, requestsPerSecondPerEndpoint: rate,
                    // The deadline bounds the whole night: the time the plan took (IAM's project lists) counts.
                    requestTimeout: .seconds(timeout),
                    deadline: deadline.map { .seconds($0) - started.duration(to: .now) },
                    lockWait: .seconds(lockWait)),
                logger: logger)
            outcomes = plan.unlisted.map { ScopeOutcome($0) } + (await runner.run(plan.scopes, rejected: plan.rejected))
        } catch {
            await heartbeat?.finish(exitCode: ExitStatus(error).rawValue, body: "\(error)")
            for client in [transport, reporting].compactMap(\.self) { await Self.shutDown(client, logger: logger) }
            throw error
        }
        let totals = EstateTotals(outcomes)
        let failure = Self.failure(of: outcomes, totals: totals)
        let status = failure?.status ?? .success
        let totalLine = totals.line + String(format: " in %.1f s", (ContinuousClock.now - started).seconds)
        await heartbeat?.finish(exitCode: status.rawValue, body: totalLine)
        for client in [transport, reporting].compactMap(\.self) { await Self.shutDown(client, logger: logger) }
        let clean = failure == nil && totals.counts.changed + totals.counts.new + totals.counts.gone == 0
        if !(quiet && clean) {
            for outcome in outcomes { print(outcome.line) }
            print(totalLine)
        }
        for outcome in outcomes where !outcome.isComplete {
            // `<3>` under the journal, like the final error line: `journalctl -p err` shows each failed scope.
            StderrLogHandler.write("gateway-audit: \(outcome.label): \(Self.problem(of: outcome))", level: .error)
        }
        if let failure { throw failure }
    }

    /// Maps an estate file problem to a usage error (exit 2) with its one line.
    static func estateOrUsage<T>(_ body: () async throws(EstateError) -> T) async throws(CommandFailure) -> T {
        do {
            return try await body()
        } catch {
            throw CommandFailure(status: .usage, description: error.description)
        }
    }

    /// What went wrong in one scope, for its stderr line.
    static func problem(of outcome: ScopeOutcome) -> String {
        switch outcome.result {
        case .success(let summary): return failure(of: summary)?.description ?? summary.status.rawValue
        case .failure(let error): return "\(error)"
        }
    }

    /// The estate run's exit: a database error, then a held scope, then every scope rejected, then any
    /// scope not complete; nil when every scope completed.
    static func failure(of outcomes: [ScopeOutcome], totals: EstateTotals) -> CommandFailure? {
        let errors = outcomes.compactMap { outcome -> (any Error)? in
            if case .failure(let error) = outcome.result { return error }
            return nil
        }
        let incomplete = totals.scopes - totals.complete
        if let store = errors.compactMap({ $0 as? StoreError }).first(where: { ExitStatus($0) == .database }) {
            return CommandFailure(status: .database, description: store.description)
        }
        if let locked = errors.first(where: { ExitStatus($0) == .locked }) {
            return CommandFailure(status: .locked, description: "\(locked)")
        }
        if totals.scopes > 0 && totals.rejected == totals.scopes {
            return CommandFailure(
                status: .authentication,
                description: "every scope's credentials were rejected; check the variables the estate file names")
        }
        if let usage = errors.first(where: { ExitStatus($0) == .usage }), incomplete == totals.scopes {
            return CommandFailure(status: .usage, description: "\(usage)")
        }
        guard incomplete > 0 else { return nil }
        return CommandFailure(
            status: .partial,
            description: "\(incomplete) of \(totals.scopes) scope(s) not complete (see the lines above); "
                + (totals.complete == 0 && totals.counts.observed == 0 ? "nothing was stored" : "the others are stored")
        )
    }
}
