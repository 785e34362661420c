import Foundation
import GatewayAudit
import Logging

/// Collects every scope of a plan: one ``Collector`` run per scope, `scopeConcurrency` scopes at once,
/// each its own run record under its own lock; scopes sharing an endpoint share its rate limit.
public struct EstateRunner: Sendable {
    /// How the scopes are collected.
    public struct Options: Sendable {
        /// Scopes collected at once.
        public var scopeConcurrency: Int
        /// Requests in flight at once within one scope.
        public var concurrency: Int
        /// A ceiling on requests per second to one endpoint, whatever the scopes behind it (nil: none).
        public var requestsPerSecondPerEndpoint: Double?
        /// How long one attempt may take.
        public var requestTimeout: Duration
        /// How long the whole estate run may take, from ``EstateRunner/run(_:)`` (nil: no limit): each scope
        /// gets what is left when it starts; a scope that would start after it is not started.
        public var deadline: Duration?
        /// How long a scope's run waits for another process holding that scope.
        public var lockWait: Duration

        /// Creates options (defaults: 4 scopes at once, 8 requests per scope, no rate ceiling).
        public init(
            scopeConcurrency: Int = 4, concurrency: Int = 8, requestsPerSecondPerEndpoint: Double? = nil,
            requestTimeout: Duration = .seconds(30), deadline: Duration? = nil, lockWait: Duration = .seconds(60)
        ) {
            self.scopeConcurrency = max(1, scopeConcurrency)
            self.concurrency = concurrency
            self.requestsPerSecondPerEndpoint = requestsPerSecondPerEndpoint
            self.requestTimeout = requestTimeout
            self.deadline = deadline
            self.lockWait = lockWait
        }
    }

    let database: HistoryDatabase
    let transport: any Transport
    let options: Options
    let logger: Logger
    let time: any TimeSource

    /// Creates a runner writing to `database`.
    /// - Parameter time: the instant requests are signed and observations stamped with.
    public init(
        database: HistoryDatabase, transport: any Transport, options: Options = Options(),
        logger: Logger = Logger(label: "gateway-audit.estate"), time: any TimeSource = SystemTime()
    ) {
        self.database = database
        self.transport = transport
        self.options = options
        self.logger = logger
        self.time = time
    }

    /// Collects `scopes`; the outcomes come back in the order of `scopes`, whatever finished first. The
    /// accounts of `rejected` (rejected while their projects were listed: ``EstatePlan/rejected``) are not tried.
    public func run(_ scopes: [EstateScope], rejected initial: [String: AccountRejection] = [:]) async
        -> [ScopeOutcome]
    {
        let started = ContinuousClock.now
        var limiters: [String: RateLimiter] = [:]
        if let rate = options.requestsPerSecondPerEndpoint {
            for scope in scopes where limiters[scope.endpoint] == nil {
                limiters[scope.endpoint] = RateLimiter(perSecond: rate)
            }
        }
        var outcomes = [ScopeOutcome?](repeating: nil, count: scopes.count)
        // Accounts whose key or password the cloud rejected (``EstateAccount/isShutOut(by:)``), with the
        // rejection: their scopes not yet started are not tried (a rejection costs one request per account, not
        // one per scope, and repeated failed logins can lock the IAM user).
        var rejected = initial.mapValues { (label: $0.label, error: $0.error) }
        await withTaskGroup(of: (Int, ScopeOutcome).self) { group in
            var next = 0
            func startNext() {
                while next < scopes.count {
                    let index = next
                    let scope = scopes[index]
                    next += 1
                    if let (label, error) = rejected[scope.account.name] {
                        outcomes[index] = ScopeOutcome(
                            scope: scope.key, label: "\(scope.key)", result: .failure(error.notTried(rejectedIn: label))
                        )
                        continue
                    }
                    let remaining = options.deadline.map { $0 - started.duration(to: .now) }
                    if let remaining, remaining <= .zero {
                        outcomes[index] = ScopeOutcome(
                            scope: scope.key, label: "\(scope.key)", result: .failure(ClientError.deadlineExceeded))
                        continue
                    }
                    let limiter = limiters[scope.endpoint]
                    group.addTask { (index, await collect(scope, limiter: limiter, deadline: remaining)) }
                    return
                }
            }
            for _ in 0..<options.scopeConcurrency { startNext() }
            while let (index, outcome) = await group.next() {
                outcomes[index] = outcome
                let account = scopes[index].account
                if rejected[account.name] == nil, let error = outcome.rejection, account.isShutOut(by: error) {
                    rejected[account.name] = (outcome.label, error)
                }
                startNext()
            }
        }
        return outcomes.compactMap { $0 }
    }

    /// One scope's run; a failure before the run could begin (configuration, a held lock) is the outcome.
    private func collect(_ scope: EstateScope, limiter: RateLimiter?, deadline: Duration?) async -> ScopeOutcome {
        var logger = logger
        logger[metadataKey: "scope"] = "\(scope.key)"
        do {
            guard let endpoint = URL(string: scope.endpoint) else {
                throw ClientError.invalidURL("endpoint \(scope.endpoint) is not a URL")
            }
            let client = try VPNClient(
                endpoint: endpoint, projectID: scope.projectID, credentials: scope.credentials, transport: transport,
                requestTimeout: options.requestTimeout, deadline: deadline, logger: logger, time: time,
                variablesToCheck: scope.account.variablesToCheck)
            // Waiting for a scope's lock counts against the deadline too.
            let lockWait = deadline.map { min(options.lockWait, max($0, .zero)) } ?? options.lockWait
            var collectorOptions = CollectorOptions(concurrency: options.concurrency, lockWait: lockWait)
            collectorOptions.scope = scope.key
            collectorOptions.rateLimiter = limiter
            let summary = try await Collector(
                client: client, database: database, options: collectorOptions, logger: logger
            ).run()
            return ScopeOutcome(scope: scope.key, label: "\(scope.key)", result: .success(summary))
        } catch {
            logger.error("scope not collected: \(error)")
            return ScopeOutcome(scope: scope.key, label: "\(scope.key)", result: .failure(error))
        }
    }
}

extension ClientError {
    /// For a scope or region not tried after this rejection in `label`: the same rejection, saying so.
    func notTried(rejectedIn label: String) -> ClientError {
        guard case .authentication(let status, let code, _, _, let variables) = self else { return self }
        return .authentication(
            status: status, code: code, message: "not tried, the account's credentials were rejected in \(label)",
            requestID: nil, variables: variables)
    }
}
