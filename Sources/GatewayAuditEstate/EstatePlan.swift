import Foundation
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore
import Logging

/// The scopes one run of an estate collects: every (account, region, project) the narrowing keeps,
/// with `projects = "all"` resolved through IAM's project list.
public struct EstatePlan: Sendable {
    /// The scopes to collect, by account (file order), region (file order), then project.
    public let scopes: [EstateScope]
    /// Regions of `projects = "all"` accounts whose project list could not be read.
    public let unlisted: [UnlistedRegion]
    /// Accounts whose key or password was rejected while their projects were listed, by name: the runner
    /// sends it no more (``EstateRunner/run(_:rejected:)``), for regions listed before the rejection too.
    public let rejected: [String: AccountRejection]
    /// The regions whose projects are known tonight: named in the file, or listed by IAM (a list of at least
    /// one project). A project of such a region that is not in ``scopes`` is one this estate no longer collects.
    public let listedRegions: Set<Region>

    /// One account's region.
    public struct Region: Sendable, Hashable {
        /// The account's name.
        public let account: String
        /// The region.
        public let region: String

        /// Creates a key.
        public init(account: String, region: String) {
            self.account = account
            self.region = region
        }
    }

    /// The (account, region) pairs of `estate` that `filter` keeps, with their credentials, before
    /// projects are listed. Checks every variable of the kept accounts.
    /// - Throws: ``EstateError``: an unset variable, or `--account`/`--region` naming nothing in the file.
    public static func regions(
        of estate: Estate, filter: ScopeFilter, credentials: EstateCredentials
    ) throws(EstateError) -> [(account: EstateAccount, region: String, credentials: Credentials)] {
        if let account = filter.account, !estate.accounts.contains(where: { $0.name == account }) {
            throw EstateError(
                file: estate.path, line: 0, key: "",
                problem: "no account \"\(account)\" in the file (--account); it has "
                    + estate.accounts.map(\.name).joined(separator: ", "))
        }
        var result: [(account: EstateAccount, region: String, credentials: Credentials)] = []
        for account in estate.accounts where filter.account == nil || filter.account == account.name {
            try credentials.check(account, in: estate)
            for region in account.regions where filter.region == nil || filter.region == region {
                result.append((account, region, try credentials.credentials(account, region: region, in: estate)))
            }
        }
        if result.isEmpty, let region = filter.region {
            throw EstateError(
                file: estate.path, line: 0, key: "",
                problem: "no account of the file collects region \"\(region)\" (--region)")
        }
        return result
    }

    /// Builds the plan; lists projects of `projects = "all"` accounts through IAM (`listProjects`
    /// false: such regions keep one placeholder scope with project `all`, for `config check`), each request
    /// bounded by `requestTimeout` and all of them by `deadline` (from now; a region not listed by then is
    /// unlisted with ``ClientError/deadlineExceeded``, so a hung IAM cannot hold the night past `--deadline`).
    /// - Throws: ``EstateError`` (see ``regions(of:filter:credentials:)``), and when nothing is left to collect:
    ///   `--project` naming no project of the kept regions, or no project listed at all.
    public static func make(
        estate: Estate, filter: ScopeFilter, credentials: EstateCredentials, transport: any Transport,
        listProjects: Bool = true, requestTimeout: Duration = .seconds(30), deadline: Duration? = nil, logger: Logger,
        time: any TimeSource = SystemTime()
    ) async throws(EstateError) -> EstatePlan {
        let started = ContinuousClock.now
        var scopes: [EstateScope] = []
        var unlisted: [UnlistedRegion] = []
        var rejected: [String: AccountRejection] = [:]
        var listed: Set<Region> = []
        for (account, region, credentials) in try regions(of: estate, filter: filter, credentials: credentials) {
            let endpoint = account.endpoint(region: region)
            var projects: [String]
            switch account.projects {
            case .list(let list):
                projects = list
            case .byRegion(let lists):
                projects = lists[region] ?? []
            case .all where !listProjects:
                projects = ["all"]
            case .all:
                // A key or password rejected while listing one region is not sent again for the next ones.
                if let rejection = rejected[account.name] {
                    unlisted.append(
                        UnlistedRegion(
                            account: account, region: region,
                            error: rejection.error.notTried(rejectedIn: rejection.label)))
                    continue
                }
                do throws(ClientError) {
                    guard let url = URL(string: account.iamEndpoint(region: region)) else {
                        throw .invalidURL("IAM endpoint \(account.iamEndpoint(region: region)) is not a URL")
                    }
                    let left = deadline.map { $0 - started.duration(to: .now) }
                    if let left, left <= .zero { throw .deadlineExceeded }
                    let lister = try IAMProjectList(
                        iamURL: url, credentials: credentials, transport: transport, requestTimeout: requestTimeout,
                        deadline: left, logger: logger, time: time, variablesToCheck: account.variablesToCheck)
                    projects = try await lister.projects(region: region).map(\.id)
                } catch {
                    let region = UnlistedRegion(account: account, region: region, error: error)
                    if account.isShutOut(by: error) {
                        rejected[account.name] = AccountRejection(label: region.label, error: error)
                    }
                    unlisted.append(region)
                    continue
                }
            }
            // An IAM list of no project at all is more likely a permission taken away than every project
            // deleted: its region keeps its series (their alerts fire) rather than losing them silently.
            if listProjects && (account.projects != .all || !projects.isEmpty) {
                listed.insert(Region(account: account.name, region: region))
            }
            for project in projects where filter.projectID == nil || filter.projectID == project {
                scopes.append(
                    EstateScope(
                        account: account, region: region, projectID: project, endpoint: endpoint,
                        credentials: credentials))
            }
        }
        if scopes.isEmpty && unlisted.isEmpty && listProjects {
            // Nothing to collect is a mistake, not a clean night: a run that stores nothing must not exit 0.
            let problem =
                filter.projectID.map {
                    "no project \"\($0)\" in the accounts and regions kept (--project); check the id, or leave --project out"
                }
                ?? "no project to collect in the accounts and regions kept; list projects in the file, or check that IAM lists some"
            throw EstateError(file: estate.path, line: 0, key: "", problem: problem)
        }
        return EstatePlan(scopes: scopes, unlisted: unlisted, rejected: rejected, listedRegions: listed)
    }
}

/// Where an account's key or password was rejected, and how: its other scopes are not tried.
public struct AccountRejection: Sendable {
    /// The scope (or unlisted region) that was rejected, as its lines name it.
    public let label: String
    /// The rejection.
    public let error: ClientError
}
