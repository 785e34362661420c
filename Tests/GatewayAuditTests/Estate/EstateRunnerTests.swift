import Foundation
import GatewayAudit
import Logging
import Synchronization
import Testing

@testable import GatewayAuditClient
@testable import GatewayAuditEstate
@testable import GatewayAuditStore

/// The estate runner's limits over the whole run: the deadline, and credentials rejected once per account.
@Suite("Estate runner")
struct EstateRunnerTests {
    /// The four OTC scopes of the example file (password authentication, two regions, two projects).
    func otcScopes() async throws -> [EstateScope] {
        let estate = try EstateFile.parse(EstateFileTests.valid, path: "estate.toml")
        return try await EstatePlan.make(
            estate: estate, filter: ScopeFilter(account: "otc"),
            credentials: EstateCredentials(environment: EstateFileTests.environment),
            transport: ClosureTransport { _ throws(TransportError) in throw .connection("no request expected") },
            logger: Logger(label: "test")
        ).scopes
    }

    @Test("--deadline bounds the whole estate run: a scope that would start after it is not started")
    func deadlineOverTheRun() async throws {
        let scopes = try await otcScopes()
        #expect(scopes.count == 4)
        let database = try HistoryDatabase.inMemory()
        // Every request hangs past the deadline: the first scope uses all of it.
        let transport = ClosureTransport { _ throws(TransportError) in
            try? await Task.sleep(for: .seconds(1))
            throw .connection("no answer")
        }
        let runner = EstateRunner(
            database: database, transport: transport,
            options: .init(scopeConcurrency: 1, deadline: .milliseconds(500)), logger: Logger(label: "test"))
        let started = ContinuousClock.now
        let outcomes = await runner.run(scopes)
        // Ends (a loaded machine stretches the one hung request, not the scopes after it).
        #expect(started.duration(to: .now) < .seconds(60))
        #expect(outcomes.count == 4)
        // The three later scopes never began a run: no run row, the deadline as their reason.
        for outcome in outcomes.dropFirst() {
            guard case .failure(let error) = outcome.result, case .deadlineExceeded? = error as? ClientError else {
                Issue.record("\(outcome.label): \(outcome.line)")
                continue
            }
        }
        #expect(try HistoryQueries(database).runs(limit: nil).count == 1)
    }

    @Test("a password rejected in one scope is not sent again for the account's other scopes; a 403 is")
    func rejectedOncePerAccount() async throws {
        let scopes = try await otcScopes()
        let database = try HistoryDatabase.inMemory()
        let requests = Mutex(0)
        let status = Mutex(401)
        let transport = ClosureTransport { _ throws(TransportError) in
            requests.withLock { $0 += 1 }
            return ClientResponse(
                status: .init(code: status.withLock { $0 }), headerFields: [:],
                body: Data(
                    #"{"error":{"code":"401","message":"The username or password is wrong.","title":"Unauthorized"}}"#
                        .utf8))
        }
        let runner = EstateRunner(
            database: database, transport: transport, options: .init(scopeConcurrency: 1), logger: Logger(label: "test")
        )
        let outcomes = await runner.run(scopes)
        #expect(requests.withLock { $0 } == 1)
        #expect(outcomes.map(\.isRejected) == [true, true, true, true])
        for outcome in outcomes.dropFirst() {
            #expect(
                outcome.line.contains("not tried, the account's credentials were rejected in \(outcomes[0].label)"),
                "\(outcome.line)")
        }
        // Forbidden (403) is one project's permissions: every scope is tried.
        status.withLock { $0 = 403 }
        requests.withLock { $0 = 0 }
        let forbidden = await runner.run(scopes)
        #expect(requests.withLock { $0 } >= 4)
        #expect(forbidden.count == 4 && forbidden.allSatisfy { $0.isRejected && !$0.line.contains("not tried") })
    }

    @Test("an account rejected while its projects were listed is not tried in the regions listed before")
    func rejectedWhileListing() async throws {
        let scopes = try await otcScopes()
        let requests = Mutex(0)
        let transport = ClosureTransport { _ throws(TransportError) in
            requests.withLock { $0 += 1 }
            throw .connection("no request expected")
        }
        let runner = EstateRunner(
            database: try HistoryDatabase.inMemory(), transport: transport, options: .init(scopeConcurrency: 1),
            logger: Logger(label: "test"))
        let rejection = AccountRejection(
            label: "otc/eu-nl/all",
            error: .authentication(
                status: 401, code: "401", message: "wrong password", requestID: nil, variables: "OTC_USER"))
        let outcomes = await runner.run(scopes, rejected: ["otc": rejection])
        #expect(requests.withLock { $0 } == 0)
        #expect(outcomes.count == 4 && outcomes.allSatisfy(\.isRejected))
        #expect(
            outcomes.allSatisfy {
                $0.line.contains("not tried, the account's credentials were rejected in otc/eu-nl/all")
            }, "\(outcomes.map(\.line))")
    }

}
