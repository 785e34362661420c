import Foundation
import GatewayAudit
import GatewayAuditCore
import GatewayAuditEstate
import GatewayAuditMetrics
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
        let reporting =
            settings.heartbeat == nil && settings.notify.isEmpty ? nil : Self.reportingTransport(caFile: caFile)
        let heartbeat = publisher(settings, transport: reporting, databasePath: database.path, logger: logger).heartbeat
        await heartbeat?.start()
        let started = ContinuousClock.now
        let startedAt = Instant.now
        var transport: HTTP1Transport?
        var databasePath = database.db ?? database.path
        let outcomes: [ScopeOutcome]
        var scopes: [ScopeKey: EstateScope] = [:]
        var unlisted: [UnlistedRegion] = []
        var listedRegions: Set<EstatePlan.Region> = []
        // Every account's regions as the file names them (nil until it loads).
        var fileRegions: Set<EstatePlan.Region>?
        // The estate's account names, once its file has loaded (its failure fails only their series).
        var accounts: Set<String>?
        do {
            if let problem { throw problem }
            if endpoint != nil || projectID != nil || !ids.isEmpty || idsFile != nil {
                throw CommandFailure(
                    status: .usage,
                    description: "--endpoint, --project-id, --id and --ids-file are for one project; "
                        + "with --config the estate file says what to collect (narrow it with --account, --region, --project)"
                )
            }
            let estate = try await Self.estateOrUsage { () throws(EstateError) in try EstateFile.load(path: path) }
            databasePath = database.db ?? estate.database ?? database.path
            accounts = Set(estate.accounts.map(\.name))
            fileRegions = Set(
                estate.accounts.flatMap { account in
                    account.regions.map { EstatePlan.Region(account: account.name, region: $0) }
                })
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
            for scope in plan.scopes { scopes[scope.key] = scope }
            unlisted = plan.unlisted
            listedRegions = plan.listedRegions
            let history = try HistoryDatabase.open(path: databasePath)
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
            // Every scope the metrics file knows (those the narrowing names) failed tonight, and so did the night.
            let failed = RunOutcome.estateFailure(
                error, known: settings.metricsFile?.previousScopes().map(\.scope) ?? [], accounts: accounts,
                account: account, region: region, project: project, startedAt: startedAt)
            await publisher(settings, transport: reporting, databasePath: databasePath, logger: logger)
                .publish(
                    scopes: failed,
                    notifying: [
                        RunOutcome.estateFailure(error, account: account, region: region, startedAt: startedAt)
                    ])
            await heartbeat?.finish(exitCode: ExitStatus(error).rawValue, body: "\(error)")
            for client in [transport, reporting].compactMap(\.self) { await Self.shutDown(client, logger: logger) }
            throw error
        }
        let totals = EstateTotals(outcomes)
        let failure = Self.failure(of: outcomes, totals: totals)
        let status = failure?.status ?? .success
        let totalLine = totals.line + String(format: " in %.1f s", (ContinuousClock.now - started).seconds)
        // Each scope's series in the metrics file and its notification (a region whose projects could not be
        // listed fails the series the file has for it), then the night's end ping.
        let finishedAt = Instant.now
        let known = settings.metricsFile?.previousScopes().map(\.scope) ?? []
        var series: [RunOutcome] = []
        var notifications: [RunOutcome] = []
        for region in unlisted {
            let failed = RunOutcome.estateFailure(
                region.error, known: known, accounts: [region.account.name], account: region.account.name,
                region: region.region, project: project, startedAt: startedAt)
            // The first night the file knows none of the region's projects: one series for the region (no
            // project), which the region's first listed night replaces (``MetricsFile/write(_:)``).
            series +=
                failed.isEmpty
                ? [
                    RunOutcome.estateFailure(
                        region.error, account: region.account.name, region: region.region, project: project,
                        startedAt: startedAt)
                ] : failed
            notifications.append(
                RunOutcome.estateFailure(
                    region.error, account: region.account.name, region: region.region, startedAt: startedAt))
        }
        for outcome in outcomes {
            guard let key = outcome.scope else { continue }
            let published = Self.runOutcome(
                of: outcome, key: key, endpoint: scopes[key]?.endpoint ?? "", startedAt: startedAt,
                finishedAt: finishedAt)
            series.append(published)
            notifications.append(published)
        }
        if settings.metricsFile != nil || !settings.notify.isEmpty {
            // A night narrowed by account or region says nothing of the regions it left out.
            let retired = Self.retired(
                accounts: accounts ?? [], regions: account == nil && region == nil ? fileRegions : nil,
                listed: listedRegions, collected: Set(scopes.keys), project: project)
            await publisher(settings, transport: reporting, databasePath: databasePath, logger: logger)
                .publish(scopes: series, notifying: notifications, retiring: retired)
        }
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

    /// One scope's outcome as operations report it: its labels, its run's summary (or the error that kept it
    /// from running) and the exit code the scope alone would have given.
    static func runOutcome(
        of outcome: ScopeOutcome, key: ScopeKey, endpoint: String, startedAt: Instant, finishedAt: Instant
    ) -> RunOutcome {
        let summary: RunSummary?
        let failure: CommandFailure?
        switch outcome.result {
        case .success(let run):
            summary = run
            failure = Self.failure(of: run)
        case .failure(let error):
            summary = nil
            failure = CommandFailure(status: ExitStatus(error), description: "\(error)")
        }
        var published = RunOutcome(
            scope: MonitoringScope(account: key.account, region: key.region, projectID: key.projectID),
            endpoint: endpoint, selection: .all, summary: summary,
            startedAt: summary.map {
                let (seconds, attoseconds) = $0.duration.components
                return finishedAt.adding(seconds: -seconds, nanoseconds: -attoseconds / 1_000_000_000)
            } ?? startedAt,
            finishedAt: finishedAt,
            exitCode: (failure?.status ?? .success).rawValue, message: failure?.description)
        published.historyScope = key
        return published
    }

    /// Which series of the metrics file an estate night retires, of one of its `accounts` and collecting every
    /// kind (the estate's own series): a project this estate no longer collects (taken out of the file, or no
    /// longer listed by IAM) in a region whose projects are known tonight (`listed`), and any project of a
    /// region the file no longer gives its account (`regions`, the file's; nil on a night narrowed by account or
    /// region). `GatewayAuditStale` would otherwise fire for them forever. Nothing is retired with `--project`
    /// (the plan holds that project only), nor in a region IAM could not list, nor of an account the file no
    /// longer names (another estate's, as far as this file knows), nor a project's own runs.
    static func retired(
        accounts: Set<String>, regions: Set<EstatePlan.Region>?, listed: Set<EstatePlan.Region>,
        collected: Set<ScopeKey>, project: String?
    ) -> (MonitoringScope) -> Bool {
        let collected = Set(collected.map { [$0.account, $0.region, $0.projectID] })
        return { scope in
            guard project == nil, scope.kind == MonitoringScope.allKinds, accounts.contains(scope.account) else {
                return false
            }
            let region = EstatePlan.Region(account: scope.account, region: scope.region)
            if let regions, !regions.contains(region) { return true }
            return listed.contains(region) && !collected.contains([scope.account, scope.region, scope.projectID])
        }
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

extension RunOutcome {
    /// A night that collected nothing for these scopes, for the metrics file: each series the file has for
    /// an estate scope under `account`, `region` and `project` (nil: any), of one of `accounts` (nil: any
    /// account, when the estate file could not be read), fails with `error`, its last success kept. None when
    /// the file has no such series: a first night that cannot start, or a mistyped `--account`, writes no
    /// series that would then fail forever.
    static func estateFailure(
        _ error: any Error, known: [MonitoringScope], accounts: Set<String>?, account: String?, region: String?,
        project: String?, startedAt: Instant
    ) -> [RunOutcome] {
        // An estate's series name their account, and collect every kind: a project's own runs into the same
        // file (no account, or one kind) are not the estate's to fail, nor are another estate's accounts.
        known.filter { scope in
            !scope.account.isEmpty && scope.kind == MonitoringScope.allKinds
                && accounts.map { $0.contains(scope.account) } ?? true
                && account.map { $0 == scope.account } ?? true && region.map { $0 == scope.region } ?? true
                && project.map { $0 == scope.projectID } ?? true
        }.map { failure(error, scope: $0, startedAt: startedAt) }
    }

    /// The failure of what was asked (an account and a region when given), for its one notification.
    static func estateFailure(
        _ error: any Error, account: String?, region: String?, project: String? = nil, startedAt: Instant
    ) -> RunOutcome {
        failure(
            error, scope: MonitoringScope(account: account ?? "", region: region ?? "", projectID: project ?? ""),
            startedAt: startedAt)
    }

    private static func failure(_ error: any Error, scope: MonitoringScope, startedAt: Instant) -> RunOutcome {
        RunOutcome(
            scope: scope, endpoint: "", selection: .all, summary: nil, startedAt: startedAt, finishedAt: .now,
            exitCode: ExitStatus(error).rawValue, message: "\(error)")
    }
}
