import Foundation
import GatewayAudit
import HTTPTypes
import Synchronization
import TestSupport
import Testing
import VPNSimulator

@Suite("Collector against the simulator over HTTP", .serialized)
struct CollectorTests {
    @Test("205 gateways over two pages, 7 sharing one created_at across the page edge: each stored once")
    func paging() async throws {
        try await CollectFixture.with(scenario: CollectFixture.manyGateways(205, equal: 7)) { f in
            let summary = try await f.collect()
            #expect(summary.status == .complete)
            #expect(summary.counts.observed == 205 && summary.counts.new == 205)
            #expect(try f.store.gateways().count == 205)
            let again = try await f.collect()
            #expect(again.counts.unchanged == 205)
            #expect(try f.storeFixture.history().count == 205)
            try f.storeFixture.expectIntegrity()
        }
    }

    @Test("429 with Retry-After: 2 waits 2 s on the client's clock, then succeeds")
    func throttled() async throws {
        try await CollectFixture.with { f in
            let id = try #require(await f.cloud.liveGateways.first?.id)
            _ = await f.cloud.addFault(
                FaultRule(.throttle(retryAfterSeconds: 2, code: "VPN.0429"), routes: [.getGateway], count: 1))
            let clock = RecordingClock()
            let summary = try await f.collect(
                options: CollectorOptions(ids: [id]),
                retry: RetryPolicy(baseDelay: .milliseconds(50), maxDelay: .seconds(10)),
                clock: clock)
            #expect(clock.sleeps == [.seconds(2)])
            #expect(summary.status == .complete && summary.counts.new == 1)
        }
    }

    @Test("a store error in the run's last write closes the run as failed with its reason, not left running")
    func lastWriteFails() async throws {
        try await CollectFixture.with { f in
            let ids = Array(await f.cloud.liveGateways.map(\.id).prefix(3))
            // The database refuses the third gateway's row, as a full disk would refuse a write: with 3 ids the
            // only batch is written when the run ends.
            try SQLiteShell.run(
                f.storeFixture.path,
                """
                CREATE TRIGGER refuse BEFORE INSERT ON gateway WHEN NEW.gateway_id = '\(ids[2].rawValue)'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
                """)
            await #expect(throws: StoreError.self) {
                _ = try await f.collect(options: CollectorOptions(ids: ids, concurrency: 2))
            }
            let run = try #require(try f.store.runs().first)
            #expect(run.status == .failed)
            #expect(run.message?.contains("refused by the test") == true, "\(run.message ?? "no message")")
            #expect(try f.store.gateways().isEmpty, "the batch is all or nothing")
        }
    }

    @Test("a 5xx burst shorter than the retry budget loses nothing")
    func shortBurst() async throws {
        try await CollectFixture.with { f in
            let ids = await f.cloud.liveGateways.map(\.id)
            _ = await f.cloud.addFault(
                FaultRule(.serverError(status: 503, code: "VPN.0014"), routes: [.getGateway], count: 4))
            let summary = try await f.collect(options: CollectorOptions(ids: ids, concurrency: 2))
            #expect(summary.status == .complete)
            #expect(summary.counts.new == ids.count && summary.counts.failed == 0)
        }
    }

    @Test("a longer burst on two gateways marks just those failed and the run partial; they are not gone")
    func longBurst() async throws {
        try await CollectFixture.with { f in
            let ids = await f.cloud.liveGateways.map(\.id)
            let broken = Array(ids.prefix(2))
            _ = await f.cloud.addFault(
                FaultRule(.serverError(status: 500, code: "VPN.0002"), routes: [.getGateway], gateways: broken))
            let summary = try await f.collect(options: CollectorOptions(ids: ids))
            #expect(summary.status == .partial)
            #expect(summary.counts.failed == 2 && summary.counts.new == ids.count - 2)
            #expect(Set(summary.failures.map(\.id)) == Set(broken))
            #expect(summary.failures.first?.reason.hasPrefix("HTTP 500 VPN.0002") == true)
            #expect(try f.store.failedObservations().count == 2)
            #expect(try f.store.gateways().filter { $0.state == .gone }.isEmpty)
            #expect(try f.store.runs().first?.status == .partial)
        }
    }

    @Test("a bad AK/SK stops the run after one 401, naming the variables to check")
    func badKey() async throws {
        try await CollectFixture.with { f in
            let ids = await f.cloud.liveGateways.map(\.id)
            let wrong = AKSKSigner(accessKey: CollectFixture.keyPair.accessKey, secretKey: "wrong-secret-value")
            let sent = Mutex(0)
            let counting = ClosureTransport { request throws(TransportError) in
                sent.withLock { $0 += 1 }
                return try await CollectFixture.transport.send(request, timeout: .seconds(5))
            }
            let client = try f.client(.accessKey(wrong), transport: counting)
            let summary = try await Collector(
                client: client, database: f.storeFixture.database, options: CollectorOptions(ids: ids, concurrency: 8)
            ).run()
            #expect(sent.withLock { $0 } == 1)
            #expect(summary.status == .failed)
            guard case .authentication(let status, _, _, _, let variables)? = summary.failure else {
                Issue.record("expected an authentication failure, got \(String(describing: summary.failure))")
                return
            }
            #expect(status == 401)
            #expect(variables == "HW_ACCESS_KEY and HW_SECRET_KEY")
            #expect(summary.counts.observed == 0)
            #expect(try f.store.runs().first?.message?.contains("check HW_ACCESS_KEY and HW_SECRET_KEY") == true)
            #expect(!f.logs.all.joined().contains("wrong-secret-value"))
        }
    }

    @Test(
        "by id, an access key or a password sends its first request alone; a fixed token starts every connection at once",
        arguments: ["access key", "password", "token"])
    func firstRequestAlone(credentialsKind: String) async throws {
        var simulated = SimulatorCredentials.standard
        simulated.fixedTokens = ["fixed-test-token"]
        try await CollectFixture.with(credentials: simulated) { f in
            let ids = Array(await f.cloud.liveGateways.map(\.id).prefix(6))
            let credentials: Credentials =
                switch credentialsKind {
                case "access key": .accessKey(CollectFixture.keyPair.signer)
                case "password": .password(try f.passwordIdentity())
                default: .token("fixed-test-token")
                }
            // Requests sent to the VPN API before its first answer came back.
            let held = HeldAnswers { $0.url.path.contains("/v5/") }
            let summary = try await Collector(
                client: try f.client(credentials, transport: held.transport), database: f.storeFixture.database,
                options: CollectorOptions(ids: ids, concurrency: 8)
            ).run()
            #expect(summary.status == .complete && summary.counts.new == ids.count)
            #expect(held.sentBeforeFirstAnswer == (credentialsKind == "token" ? ids.count : 1))
        }
    }

    @Test("a listing run confirms the resources missing from its list all at once, with an access key too")
    func listingConfirmationsTogether() async throws {
        var simulated = SimulatorCredentials.standard
        simulated.fixedTokens = ["fixed-test-token"]
        try await CollectFixture.with(credentials: simulated) { f in
            #expect(try await f.collect().counts.new == 23)
            let deleted = Array(await f.cloud.liveGateways.map(\.id).prefix(4))
            for id in deleted {
                let url = try #require(
                    URL(string: "\(f.running.baseURLString)/v5/\(f.cloud.projectID)/customer-gateways/\(id.rawValue)"))
                let response = try await CollectFixture.transport.send(
                    ClientRequest(
                        method: .delete, url: url,
                        headerFields: [try #require(HTTPField.Name("X-Auth-Token")): "fixed-test-token"]),
                    timeout: .seconds(5))
                #expect(response.status.code == 204)
            }
            // Confirmations (GET of one gateway) sent before the first of them was answered.
            let held = HeldAnswers { $0.url.path.contains("/customer-gateways/") }
            let summary = try await Collector(
                client: try f.client(.accessKey(CollectFixture.keyPair.signer), transport: held.transport),
                database: f.storeFixture.database, options: CollectorOptions(concurrency: 8)
            ).run()
            #expect(summary.status == .complete && summary.counts.gone == deleted.count)
            #expect(held.sentBeforeFirstAnswer == deleted.count)
        }
    }

    @Test("IAM password: a token that expires mid-run is renewed once and the run completes")
    func tokenRenewal() async throws {
        var credentials = SimulatorCredentials.standard
        credentials.tokenLifetimeSeconds = 3600
        try await CollectFixture.with(credentials: credentials) { f in
            let ids = await f.cloud.liveGateways.map(\.id)
            let user = CollectFixture.user
            let identity = PasswordIdentity(
                userName: user.name, password: user.password, domainName: user.domain,
                authURL: try #require(URL(string: f.running.baseURLString + "/v3")))
            let client = try f.client(.password(identity))
            #expect(try await client.gateway(ids[0]) != .gone)
            await f.cloud.advance(seconds: 7200)
            let summary = try await Collector(
                client: client, database: f.storeFixture.database, options: CollectorOptions(ids: [ids[1]])
            ).run()
            #expect(summary.status == .complete)
            let all = f.logs.all.joined(separator: "\n")
            #expect(all.contains("token rejected; obtained a new one from IAM"))
            #expect(!all.contains(user.password))
        }
    }

    @Test("a malformed body fails one gateway with a clear error; the rest are stored")
    func malformed() async throws {
        try await CollectFixture.with { f in
            let ids = await f.cloud.liveGateways.map(\.id)
            _ = await f.cloud.addFault(FaultRule(.malformedBody, routes: [.getGateway], gateways: [ids[3]]))
            let summary = try await f.collect(options: CollectorOptions(ids: ids))
            #expect(summary.status == .partial)
            #expect(summary.failures.map(\.id) == [ids[3]])
            #expect(
                summary.failures.first?.reason.hasPrefix(
                    "unexpected response: gateway \(ids[3]): response is not valid JSON") == true)
            #expect(summary.counts.new == ids.count - 1)
        }
    }

    @Test("listing mode over nights: a deleted gateway is confirmed gone by id; a rename is one change")
    func listingOverNights() async throws {
        try await CollectFixture.with { f in
            let first = try await f.collect()
            #expect(first.status == .complete && first.counts.new == 23)
            try await f.cloud.advance(to: 3)
            let third = try await f.collect(night: 3)
            #expect(third.counts.changed == 1 && third.counts.new == 1)
            try await f.cloud.advance(to: 8)
            let eighth = try await f.collect(night: 8)
            #expect(eighth.status == .complete)
            #expect(eighth.counts.gone == 1)
            let deleted = Scenario.standardGatewayID(6)
            #expect(try f.store.gateways().first { $0.gatewayID == deleted }?.state == .gone)
            let renames = try f.storeFixture.changes(ReportFilter(gatewayIDs: [Scenario.standardGatewayID(2)])).filter {
                $0.field == "name"
            }
            #expect(renames.map(\.newValue) == ["branch-munich-2"])
            #expect(renames.first?.lastRunBefore == 1 && renames.first?.firstRunAfter == 2)
        }
    }

    @Test("a body that trickles in past the request timeout fails its gateway as timed out, in about the timeout")
    func tricklingBody() async throws {
        try await CollectFixture.with { f in
            let ids = await f.cloud.liveGateways.map(\.id)
            // 50 ms a byte: the answer would take more than 15 s; no pause is long enough for the idle timer.
            _ = await f.cloud.addFault(
                FaultRule(.tricklingBody(intervalMilliseconds: 50), routes: [.getGateway], gateways: [ids[0]]))
            let started = ContinuousClock.now
            let summary = try await f.collect(
                options: CollectorOptions(ids: ids), retry: RetryPolicy(maxAttempts: 1), requestTimeout: .seconds(3))
            #expect(ContinuousClock.now - started < .seconds(12))
            #expect(summary.status == .partial)
            #expect(summary.counts.failed == 1 && summary.counts.new == ids.count - 1)
            let failures = try f.store.failedObservations(inRun: summary.runID)
            #expect(failures.map(\.gatewayID) == [ids[0]])
            #expect(failures.map(\.error) == ["no response after 1 attempt(s): timed out"])
        }
    }

    @Test("no secret appears in any log line, at trace level, through faults and errors")
    func noSecretsInLogs() async throws {
        try await CollectFixture.with { f in
            let ids = await f.cloud.liveGateways.map(\.id)
            _ = await f.cloud.addFault(
                FaultRule(.serverError(status: 503, code: "VPN.0014"), routes: [.getGateway], count: 3))
            _ = await f.cloud.addFault(FaultRule(.truncatedBody, routes: [.getGateway], gateways: [ids[0]]))
            _ = try await f.collect(options: CollectorOptions(ids: ids))
            let all = f.logs.all.joined(separator: "\n")
            #expect(!all.isEmpty)
            #expect(!all.contains(CollectFixture.keyPair.secretKey))
            #expect(!all.contains("Signature="))
            #expect(!all.contains("X-Auth-Token"))
        }
    }
}

/// A transport to the fixture's simulator that holds each answer to a matching request 300 ms and counts
/// the matching requests sent before the first of those answers came back: how many a run starts at once.
private final class HeldAnswers: Sendable {
    private let counts = Mutex((sent: 0, answered: false))
    private let matches: @Sendable (ClientRequest) -> Bool

    init(matching matches: @escaping @Sendable (ClientRequest) -> Bool) {
        self.matches = matches
    }

    var sentBeforeFirstAnswer: Int { counts.withLock { $0.sent } }

    var transport: ClosureTransport {
        ClosureTransport { [self] request throws(TransportError) in
            let held = matches(request)
            if held { counts.withLock { if !$0.answered { $0.sent += 1 } } }
            let response = try await CollectFixture.transport.send(request, timeout: .seconds(5))
            if held {
                try? await Task.sleep(for: .milliseconds(300))
                counts.withLock { $0.answered = true }
            }
            return response
        }
    }
}
