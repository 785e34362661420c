import ArgumentParser
import Foundation
import GatewayAuditCore
import Logging
import VPNSimulator

/// `vpn-simulator`: serves the simulated VPN v5 API until interrupted.
@main
struct VPNSimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpn-simulator",
        abstract: "A local imitation of the Enterprise Edition VPN v5 API, with a virtual clock.",
        discussion: """
            Serves, under /v5/{project_id}/: customer-gateways (list with limit/marker, show, create, update, \
            delete, tags), vpn-gateways (list without paging, filter vgw_id; show) and vpn-connection (list with \
            limit up to 200 and marker, filter vgw_id; show), all AK/SK- or token-authenticated; and IAM \
            POST /v3/auth/tokens.
            Prints the base URL, project id and test credentials, then serves until Ctrl-C.
            Advance the virtual clock with `curl -X POST 'BASE/_sim/advance?nights=1'`; `GET BASE/_sim/state`
            shows the current night and time (with --latency, also what the waits took). Faults: POST BASE/_sim/faults with a rule such as \
            {"kind": {"forbidden": {}}, "routes": ["listConnections"]} (403 VPN.0003 on that route only); route \
            names: listGateways, getGateway, listVPNGateways, getVPNGateway, listConnections, getConnection, ...
            """)

    @Option(parsing: .unconditional, help: "Port to listen on; 0 picks a free one.")
    var port: Int = 8080

    @Option(help: "Address to listen on. Anything but loopback exposes the simulator to the network.")
    var host: String = "127.0.0.1"

    @Option(help: "A scenario JSON file (see --dump-scenario); the built-in scenario when omitted.")
    var scenario: String?

    @Option(
        parsing: .unconditional,
        help: """
            Serve a generated scenario with this many customer gateways (the bench's synthetic night 0) instead \
            of the built-in one.
            """)
    var gateways: Int?

    @Option(
        parsing: .unconditional,
        help: "VPN gateways of the generated scenario (default with --gateways N: max(1, N/5)).")
    var vpnGateways: Int?

    @Option(
        parsing: .unconditional,
        help: """
            VPN connections of the generated scenario (default with --gateways N: N); connection i uses customer \
            gateway i and VPN gateway i % --vpn-gateways.
            """)
    var connections: Int?

    @Option(
        parsing: .unconditional,
        help: "Seed for generated ids, tokens and probabilistic faults (default: the scenario's).")
    var seed: UInt64?

    @Option(help: "Access key accepted for SDK-HMAC-SHA256 signatures.")
    var accessKey: String = "SIMULATORACCESSKEY01"

    @Option(help: "Secret key of --access-key.")
    var secretKey: String = "simulator-secret-key"

    @Option(help: "A security token that requests signed with --access-key must carry (temporary credentials).")
    var securityToken: String?

    @Option(help: "A fixed X-Auth-Token accepted without expiry (in addition to tokens from /v3/auth/tokens).")
    var token: String?

    @Option(
        help: """
            Clock X-Sdk-Date is checked against: wall (the real time, as gateway-audit collect and the SDKs sign), \
            virtual (the simulated night's time, for clients that sign with it) or off.
            """)
    var sdkDateClock: SimulatorCredentials.SDKDateClock = .wall

    @Option(
        help: """
            List markers: composite (next_marker = created_at~id, every item exactly once), inclusive or exclusive \
            (plain created_at; default: the scenario's, composite for the built-in one).
            """)
    var markerMode: MarkerMode?

    @Option(
        parsing: .unconditional,
        help: "Expire each IAM token after it has authorised this many requests (to test renewal).")
    var tokenExpiresAfterRequests: Int?

    @Option(parsing: .unconditional, help: "Start at this night instead of 0.")
    var night: Int = 0

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Delay every API answer by this many milliseconds (an event-loop timer; /_sim/ admin routes are not delayed).",
            valueName: "ms"))
    var latency: Int = 0

    @Flag(help: "Print the scenario as JSON and exit (a template for --scenario).")
    var dumpScenario = false

    @Flag(help: "Log every request to stderr.")
    var verbose = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (0...SimulatedCloud.lastNight).contains(night) else {
            throw ValidationError("--night must be between 0 and \(SimulatedCloud.lastNight)")
        }
        if let token, token.isEmpty {
            throw ValidationError("--token must not be empty (an empty X-Auth-Token would let anyone in)")
        }
        guard latency >= 0 else { throw ValidationError("--latency must be 0 or more milliseconds") }
        if let tokenExpiresAfterRequests, tokenExpiresAfterRequests < 1 {
            throw ValidationError("--token-expires-after-requests must be 1 or more")
        }
        for (name, value) in [
            ("--gateways", gateways), ("--vpn-gateways", vpnGateways), ("--connections", connections),
        ]
        where (value ?? 0) < 0 {
            throw ValidationError("\(name) must be 0 or more")
        }
        if gateways == nil, vpnGateways != nil || connections != nil {
            throw ValidationError("--vpn-gateways and --connections shape a generated scenario: add --gateways N")
        }
        if gateways != nil, scenario != nil {
            throw ValidationError("--gateways generates a scenario: leave out --scenario")
        }
        guard !accessKey.isEmpty, !secretKey.isEmpty else {
            throw ValidationError("--access-key and --secret-key must not be empty")
        }
    }

    func run() async throws {
        let generated = gateways.map {
            Scenario.generated(gateways: $0, vpnGateways: vpnGateways, connections: connections, seed: seed ?? 1)
        }
        var chosen =
            try scenario.map { try Scenario.load(from: URL(fileURLWithPath: $0)) } ?? generated ?? Scenario.standard
        if let markerMode { chosen.markerMode = markerMode }
        if dumpScenario {
            FileHandle.standardOutput.write(try chosen.jsonData())
            print()
            return
        }
        var credentials = SimulatorCredentials.standard
        credentials.keyPairs = [.init(accessKey: accessKey, secretKey: secretKey, securityToken: securityToken)]
        credentials.fixedTokens = token.map { [$0] } ?? []
        credentials.sdkDateClock = sdkDateClock
        credentials.tokenLifetimeRequests = tokenExpiresAfterRequests
        let cloud = try SimulatedCloud(scenario: chosen, credentials: credentials, seed: seed)
        try await cloud.advance(to: night)

        var logger = Logger(label: "vpn-simulator")
        logger.logLevel = verbose ? .debug : .warning
        let server = SimulatorServer(
            cloud: cloud, host: host, port: port, latency: .milliseconds(latency), logger: logger)
        let banner = Banner(host: host, scenario: chosen, credentials: credentials, cloud: cloud, latency: latency)
        try await server.run { port in await banner.print(port: port) }
    }
}

extension SimulatorCredentials.SDKDateClock: ExpressibleByArgument {}
extension MarkerMode: ExpressibleByArgument {}
