import Foundation
import GatewayAudit
import Logging
import VPNSimulator

extension Stages {
    /// Requests per second of the collector at concurrency 1, 8 and 32 against the local simulator,
    /// against `wrk` with 32 connections on the same URLs.
    func collection(into table: inout BenchTable) async throws {
        let token = "bench-token"
        let count = min(gateways, 2_000)
        let year = SyntheticYear(gateways: count)
        let simulated = year.currentJSON.compactMap { json -> SimulatedGateway? in
            guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue,
                let idValue = json["id_value"]?.stringValue
            else { return nil }
            return SimulatedGateway(
                id: GatewayID(id), name: name, idValue: idValue, createdAt: json["created_at"]?.stringValue,
                updatedAt: json["updated_at"]?.stringValue)
        }
        let scenario = Scenario(
            name: "bench", seed: 1, projectID: "0b5c1e2f9a3d4e6f8a7b6c5d4e3f2a1b", start: "2025-01-01T02:00:00Z",
            nights: 1,
            gateways: simulated)
        let credentials = SimulatorCredentials(fixedTokens: [token], sdkDateClock: .off)
        let cloud = try SimulatedCloud(scenario: scenario, credentials: credentials)
        let running = try await SimulatorServer(cloud: cloud, adminRoutes: false).start()
        let transport = try AsyncHTTPClientTransport()
        guard let base = running.baseURL else { return }
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        var rates: [Int: Double] = [:]
        for concurrency in [1, 8, 32] {
            let store = try HistoryDatabase.open(path: path("collect-\(concurrency).sqlite"))
            let client = try VPNClient(
                endpoint: base, projectID: cloud.projectID, credentials: .token(token), transport: transport,
                logger: quiet)
            let ids = simulated.map(\.id)
            var summary: RunSummary?
            let seconds = try await measure {
                summary = try await Collector(
                    client: client, database: store, options: CollectorOptions(ids: ids, concurrency: concurrency),
                    logger: quiet
                ).run()
            }
            rates[concurrency] = Double(summary?.counts.observed ?? 0) / seconds
        }
        var wrkRate: Double?
        if let wrk = ChildProcess.which("wrk"), let id = simulated.first?.id {
            let url = "\(running.baseURLString)/v5/\(cloud.projectID)/customer-gateways/\(id)"
            let output = path("wrk.txt")
            _ = ChildProcess.run(wrk, ["-t2", "-c32", "-d5s", "-H", "X-Auth-Token: \(token)", url], stdoutPath: output)
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }) {
                wrkRate = Double(line.split(separator: " ").last ?? "")
            }
        }
        do {
            try await transport.shutdown()
        } catch {
            FileHandle.standardError.write(Data("gateway-audit-bench: \(error)\n".utf8))
        }
        await running.stop()
        for concurrency in [1, 8] {
            table.add(
                BenchRow(
                    stage: "collection: concurrency \(concurrency)",
                    figure: String(format: "%.0f req/s", rates[concurrency] ?? 0),
                    reference: "-", ratio: nil, target: "-", met: nil))
        }
        let ours = rates[32] ?? 0
        if let wrkRate {
            table.add(
                BenchRow(
                    stage: "collection: concurrency 32", figure: String(format: "%.0f req/s", ours),
                    reference: String(format: "%.0f req/s wrk -c32", wrkRate), ratio: ours / wrkRate, target: "≥ 0.5×",
                    met: ours / wrkRate >= 0.5))
        } else {
            table.add(
                BenchRow(
                    stage: "collection: concurrency 32", figure: String(format: "%.0f req/s", ours),
                    reference: "wrk not installed (apt-get install wrk)", ratio: nil, target: "≥ 0.5×", met: nil))
        }
    }
}
