import Foundation
import GatewayAudit
import Logging
import Synchronization
import Testing
import VPNSimulator

/// Log lines captured from the library, to check that no secret is ever logged.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger(_ label: String = "test") -> Logger {
        var logger = Logger(label: label) { _ in CapturingHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let meta = event.metadata.map { " \($0)" } ?? ""
            capture.lines.withLock { $0.append("\(event.level) \(event.message)\(meta)") }
        }
    }
}

/// A simulator on port 0 plus a temp store, wired to a real collector over HTTP.
struct CollectFixture {
    let running: RunningSimulator
    let storeFixture: StoreFixture
    /// With a latency: the most API requests the simulator held at once.
    var gauge = RequestGauge()
    let logs = LogCapture()
    var cloud: SimulatedCloud { running.cloud }
    var store: HistoryQueries { storeFixture.store }

    static let keyPair = SimulatorCredentials.standard.keyPairs[0]
    static let user = SimulatorCredentials.standard.users[0]

    static func with(
        scenario: Scenario = .standard, credentials: SimulatorCredentials = .standard, latency: Duration = .zero,
        _ body: (CollectFixture) async throws -> Void
    ) async throws {
        let cloud = try SimulatedCloud(scenario: scenario, credentials: credentials)
        let server = SimulatorServer(cloud: cloud, latency: latency)
        let running = try await server.start()
        let fixture = CollectFixture(running: running, storeFixture: try StoreFixture(), gauge: server.gauge)
        do {
            try await body(fixture)
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }

    func client(
        _ credentials: Credentials = .accessKey(keyPair.signer), retry: RetryPolicy = CollectFixture.quickRetry,
        night: Int = 0, transport: (any Transport)? = nil, clock: any Clock<Duration> = ContinuousClock(),
        requestTimeout: Duration = .seconds(5)
    ) throws -> VPNClient {
        try VPNClient(
            endpoint: try #require(running.baseURL), projectID: cloud.projectID, credentials: credentials,
            transport: transport ?? CollectFixture.transport, retry: retry, requestTimeout: requestTimeout,
            logger: logs.logger("client"), time: OffsetTime(startingAt: cloud.runTime(ofNight: night)), clock: clock)
    }

    /// Short backoff so that fault tests stay fast.
    static let quickRetry = RetryPolicy(baseDelay: .milliseconds(50), maxDelay: .milliseconds(200))

    func collect(
        _ credentials: Credentials = .accessKey(keyPair.signer), night: Int = 0,
        options: CollectorOptions = CollectorOptions(),
        retry: RetryPolicy = CollectFixture.quickRetry, clock: any Clock<Duration> = ContinuousClock(),
        requestTimeout: Duration = .seconds(5)
    ) async throws -> RunSummary {
        try await Collector(
            client: try client(credentials, retry: retry, night: night, clock: clock, requestTimeout: requestTimeout),
            database: storeFixture.database,
            options: options, logger: logs.logger("collect"), clock: clock
        ).run()
    }

    /// The simulator's IAM user as a password identity pointing at this simulator's `/v3`.
    func passwordIdentity() throws -> PasswordIdentity {
        let user = CollectFixture.user
        return PasswordIdentity(
            userName: user.name, password: user.password, domainName: user.domain,
            authURL: try #require(URL(string: running.baseURLString + "/v3")))
    }

    static let transport: HTTP1Transport = {
        do {
            return try HTTP1Transport()
        } catch {
            preconditionFailure("transport: \(error)")
        }
    }()

    /// A scenario of `count` gateways, `equal` of them sharing one created_at.
    static func manyGateways(_ count: Int, equal: Int) -> Scenario {
        let gateways = (0..<count).map { i -> SimulatedGateway in
            let second = i < equal ? 0 : i
            let created = Instant(seconds: 1_735_689_600 + Int64(second)).iso8601(fractionDigits: 3)
            return SimulatedGateway(
                id: GatewayID(String(format: "00000000-0000-4000-8000-%012d", i)), name: "gw-\(i)",
                idValue: "198.51.\(i / 250).\(i % 250 + 1)", createdAt: created, updatedAt: created)
        }
        return Scenario(
            name: "many", seed: 7, projectID: "0123456789abcdef0123456789abcdef", start: "2025-03-01T02:00:00Z",
            nights: 3, gateways: gateways)
    }

    /// `count` gateways in groups of `groupSize` sharing one `created_at`, one group per minute.
    static func tiedGroups(_ count: Int, groupSize: Int) -> Scenario {
        let gateways = (0..<count).map { i -> SimulatedGateway in
            let created = Instant(seconds: 1_735_689_600 + Int64(i / groupSize) * 60).iso8601(fractionDigits: 3)
            return SimulatedGateway(
                id: GatewayID(String(format: "00000000-0000-4000-8000-%012d", i)), name: "tied-\(i)",
                idValue: "198.51.\(i / 250).\(i % 250 + 1)", createdAt: created, updatedAt: created)
        }
        return Scenario(
            name: "tied", seed: 11, projectID: "0123456789abcdef0123456789abcdef", start: "2025-03-01T02:00:00Z",
            nights: 1, gateways: gateways)
    }
}
