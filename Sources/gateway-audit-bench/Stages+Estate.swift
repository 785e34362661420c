import Foundation
import GatewayAudit
import GatewayAuditEstate
import Logging
import VPNSimulator

extension Stages {
    /// An estate of 20 scopes × 500 customer gateways (4 regions of 5 projects, listed, 20 ms latency per
    /// request): the wall time of one estate run against the slowest scope collected alone.
    func estate(into table: inout BenchTable, scopes: Int = 20, gatewaysPerScope: Int = 500) async throws {
        let token = "bench-token"
        let credentials = SimulatorCredentials(fixedTokens: [token], sdkDateClock: .off)
        let regionCount = 4
        var servers: [String: RunningSimulator] = [:]
        var projects: [String: [String]] = [:]
        for region in 0..<regionCount {
            var clouds: [SimulatedCloud] = []
            for index in 0..<(scopes / regionCount) {
                let ordinal = region * (scopes / regionCount) + index + 1
                let year = SyntheticYear(gateways: gatewaysPerScope, seed: UInt64(ordinal))
                let gateways = year.currentJSON.compactMap { json -> SimulatedGateway? in
                    guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue,
                        let idValue = json["id_value"]?.stringValue
                    else { return nil }
                    return SimulatedGateway(
                        id: GatewayID(id), name: name, idValue: idValue, createdAt: json["created_at"]?.stringValue,
                        updatedAt: json["updated_at"]?.stringValue)
                }
                let scenario = Scenario(
                    name: "bench-estate", seed: UInt64(ordinal), projectID: String(format: "%032x", ordinal),
                    projectName: "bench-\(region)_p\(index)", start: "2025-01-01T02:00:00Z", nights: 1,
                    gateways: gateways, faults: [FaultRule(.latency(milliseconds: 20))])
                clouds.append(try SimulatedCloud(scenario: scenario, credentials: credentials))
            }
            servers["bench-\(region)"] = try await SimulatorServer(
                clouds: clouds[0], Array(clouds.dropFirst()), adminRoutes: false
            ).start()
            projects["bench-\(region)"] = clouds.map(\.projectID)
        }
        let regions = (0..<regionCount).map { "bench-\($0)" }
        // One account per region, each listing the projects its region serves.
        let file = regions.map { region in
            """
            [[account]]
            name = "\(region)"
            cloud = "huawei"
            auth = "token"
            token_env = "BENCH_TOKEN"
            regions = ["\(region)"]
            projects = [\((projects[region] ?? []).map { "\"\($0)\"" }.joined(separator: ", "))]
            endpoints = { "\(region)" = "\(servers[region]?.baseURLString ?? "")" }

            """
        }.joined(separator: "\n")
        let filePath = path("estate.toml")
        try file.write(toFile: filePath, atomically: true, encoding: .utf8)
        let estate = try EstateFile.load(path: filePath)
        let transport = try HTTP1Transport()
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let plan = try await EstatePlan.make(
            estate: estate, filter: ScopeFilter(), credentials: EstateCredentials(environment: ["BENCH_TOKEN": token]),
            transport: transport, logger: quiet)
        let own = plan.scopes
        let database = try HistoryDatabase.open(path: path("estate.sqlite"))
        let runner = EstateRunner(
            database: database, transport: transport,
            options: EstateRunner.Options(scopeConcurrency: scopes, concurrency: 8), logger: quiet)
        // Night 0 fills the history; then each scope alone, then all of them at once, on unchanged nights.
        _ = await runner.run(own)
        var slowest = 0.0
        for scope in own {
            slowest = max(slowest, await measure { _ = await runner.run([scope]) })
        }
        // The estate's time is the median of three unchanged nights: a single night varied from 0.42 to
        // 0.60 s between runs of this stage on the same machine. "complete" is the fewest scopes complete in
        // one of the three nights.
        var nights: [Double] = []
        var complete = own.count
        for _ in 0..<3 {
            var outcomes: [ScopeOutcome] = []
            nights.append(await measure { outcomes = await runner.run(own) })
            complete = min(complete, outcomes.filter(\.isComplete).count)
        }
        let together = median(nights)
        do {
            try await transport.shutdown()
        } catch {
            FileHandle.standardError.write(Data("gateway-audit-bench: \(error)\n".utf8))
        }
        for server in servers.values { await server.stop() }
        let ratio = together / max(slowest, 0.000_001)
        table.add(
            BenchRow(
                stage: "estate: \(own.count) scopes × \(gatewaysPerScope), 20 ms",
                figure: String(format: "%.3f s", together)
                    + " (median of \(nights.map { String(format: "%.3f", $0) }.joined(separator: ", ")))",
                reference: String(format: "%.3f s slowest scope alone (%d/%d complete)", slowest, complete, own.count),
                ratio: ratio, target: "≤ 1.5×", met: ratio <= 1.5 && complete == own.count))
    }
}
