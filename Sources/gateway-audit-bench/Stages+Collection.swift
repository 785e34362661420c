import Foundation
import GatewayAudit
import VPNSimulator

extension Stages {
    /// `gateway-audit collect` by id against a `vpn-simulator` in its own process: with 50 ms latency per
    /// request against the ideal N × latency ÷ concurrency; without latency against `wrk -t2 -c32` on the same
    /// simulator, in observations per second and in CPU per observation.
    func collection(into table: inout BenchTable) async throws {
        let count = min(gateways, 2_000)
        let token = "bench-token"
        let latencyMilliseconds = 50
        let concurrency = 32
        let simulator = URL(fileURLWithPath: tool).deletingLastPathComponent().appendingPathComponent("vpn-simulator")
        // The simulator's --gateways N serves this scenario; its ids are the ones collected.
        let ids = Scenario.generated(gateways: count).gateways.map(\.id.rawValue)
        let idsFile = path("collect-ids.txt")
        try (ids.joined(separator: "\n") + "\n").write(toFile: idsFile, atomically: true, encoding: .utf8)
        let arguments = ["--gateways", "\(count)", "--vpn-gateways", "1", "--connections", "0", "--token", token]
        func collect(
            from server: SimulatorProcess, concurrency: Int, name: String, nextNightOf earlier: String? = nil
        ) -> CollectorRun {
            CollectorRun(
                tool: tool, simulator: server, token: token, idsFile: idsFile, expected: count,
                concurrency: concurrency, folder: directory, name: name, nextNightOf: earlier)
        }

        let slow = try SimulatorProcess.start(
            simulator.path, arguments + ["--latency", "\(latencyMilliseconds)"], output: path("simulator-latency.txt"))
        let delayed = collect(from: slow, concurrency: concurrency, name: "collect-latency")
        // What the simulator's holds really took: the ideal assumes each is exactly the latency.
        let held = await slow.meanHold()
        slow.stop()
        let latencyStage =
            "collection by id, \(grouped(count)) gateways, concurrency \(concurrency), simulator in its own "
            + "process with \(latencyMilliseconds) ms latency per request"
        if delayed.problem == nil {
            let ideal = Double(count) * Double(latencyMilliseconds) / 1_000 / Double(concurrency)
            let ratio = ideal / delayed.process.seconds
            table.add(
                BenchRow(
                    stage: latencyStage, figure: String(format: "%.3f s", delayed.process.seconds),
                    reference: String(
                        format: "%.3f s ideal (%d × %d ms ÷ %d)", ideal, count, latencyMilliseconds, concurrency)
                        + (held.map { String(format: "; requests held %.2f ms on average", $0 * 1_000) } ?? ""),
                    ratio: ratio, target: "≥ 0.9", met: ratio >= 0.9))
        } else {
            table.add(delayed.failedRow(latencyStage, target: "≥ 0.9"))
        }

        let fast = try SimulatorProcess.start(simulator.path, arguments, output: path("simulator.txt"))
        var runs: [Int: CollectorRun] = [:]
        for each in [1, 8, concurrency] { runs[each] = collect(from: fast, concurrency: each, name: "collect-\(each)") }
        // The same ids again into the database that holds them: every observation unchanged, the store's
        // cheapest path, as on most nights of a nightly job.
        let nextNight = collect(
            from: fast, concurrency: concurrency, name: "collect-\(concurrency)-next-night",
            nextNightOf: "collect-\(concurrency)")
        let reference = wrk(on: fast, id: ids.first ?? "", token: token, connections: concurrency)
        var floors: [(TransportFloor.Client, TransportFloor.Result)] = []
        for client in TransportFloor.Client.allCases {
            floors.append(
                (
                    client,
                    try await TransportFloor.run(
                        client, url: try fast.showURL(id: ids.first ?? ""), token: token, requests: count,
                        concurrency: concurrency)
                ))
        }
        fast.stop()
        for each in [1, 8] {
            guard let run = runs[each] else { continue }
            let stage = "collection by id, concurrency \(each), no added latency"
            table.add(
                run.problem == nil
                    ? BenchRow(
                        stage: stage, figure: String(format: "%.0f obs/s", run.rate), reference: "-", ratio: nil,
                        target: "-", met: nil)
                    : run.failedRow(stage, target: "-"))
        }
        guard let ours = runs[concurrency] else { return }
        addComparison(ours, reference, concurrency: concurrency, into: &table)
        addNextNight(nextNight, reference, into: &table)
        for (client, floor) in floors { addFloor(client, floor, reference, into: &table) }
    }

    /// The collector's HTTP client alone against `wrk`: what the CPU row's target leaves for everything else.
    private func addFloor(
        _ client: TransportFloor.Client, _ floor: TransportFloor.Result, _ reference: WrkRun?,
        into table: inout BenchTable
    ) {
        let perRequest = floor.cpuSeconds / Double(max(floor.requests, 1))
        let stage =
            client == .own
            ? "floor: the collector's HTTP client alone (HTTP1Transport, no auth, decoding or store)"
            : "floor: AsyncHTTPClient alone, as the collector used it before HTTP1Transport"
        let figure = String(
            format: "%.0f µs CPU per request, %.0f req/s", perRequest * 1e6, Double(floor.requests) / floor.seconds)
        addInformation(stage, figure, beside: reference, into: &table) { reference in
            (
                String(format: "%.1f µs per wrk request", reference.cpuPerRequest * 1e6),
                perRequest / reference.cpuPerRequest
            )
        }
    }

    /// A row without a target: `figure` beside what `wrk` did in the same run, or beside "-" when it did not run.
    private func addInformation(
        _ stage: String, _ figure: String, beside reference: WrkRun?, into table: inout BenchTable,
        compare: (WrkRun) -> (reference: String, ratio: Double)
    ) {
        guard let reference, reference.problem == nil, reference.cpuPerRequest > 0 else {
            table.add(BenchRow(stage: stage, figure: figure, reference: "-", ratio: nil, target: "-", met: nil))
            return
        }
        let (text, ratio) = compare(reference)
        table.add(BenchRow(stage: stage, figure: figure, reference: text, ratio: ratio, target: "-", met: nil))
    }

    /// The rows comparing the collector at `concurrency` with `wrk` on the same simulator.
    private func addComparison(
        _ ours: CollectorRun, _ reference: WrkRun?, concurrency: Int, into table: inout BenchTable
    ) {
        let rateStage = "collection by id, no added latency, simulator in its own process"
        let cpuStage = "collector CPU per observation"
        guard ours.problem == nil else {
            table.add(ours.failedRow(rateStage, target: "≥ 0.5×"))
            table.add(ours.failedRow(cpuStage, target: "≤ 2×"))
            return
        }
        let cpuPerObservation = ours.process.cpuSeconds / Double(ours.observed)
        let figure = String(format: "%.0f obs/s", ours.rate)
        let cpuFigure = String(
            format: "%.0f µs (%.2f s user+sys ÷ %d)", cpuPerObservation * 1e6, ours.process.cpuSeconds, ours.observed)
        guard let reference, reference.problem == nil else {
            let why = reference?.problem ?? "wrk not installed (apt-get install wrk)"
            table.add(
                BenchRow(stage: rateStage, figure: figure, reference: why, ratio: nil, target: "≥ 0.5×", met: nil))
            table.add(
                BenchRow(stage: cpuStage, figure: cpuFigure, reference: why, ratio: nil, target: "≤ 2×", met: nil))
            return
        }
        let ratio = ours.rate / reference.rate
        table.add(
            BenchRow(
                stage: rateStage, figure: figure,
                reference: String(format: "%.0f req/s wrk -t2 -c%d -d5s", reference.rate, concurrency), ratio: ratio,
                target: "≥ 0.5×", met: ratio >= 0.5))
        let cpuRatio = cpuPerObservation / reference.cpuPerRequest
        table.add(
            BenchRow(
                stage: cpuStage, figure: cpuFigure,
                reference: String(format: "%.1f µs per wrk request", reference.cpuPerRequest * 1e6), ratio: cpuRatio,
                target: "≤ 2×", met: cpuRatio <= 2))
    }

    /// The next night into the same database (all unchanged) beside `wrk`, for information: the targets are
    /// the first night's rows above.
    private func addNextNight(_ run: CollectorRun, _ reference: WrkRun?, into table: inout BenchTable) {
        let stage = "collection by id, the next night (all unchanged, same database), no added latency"
        guard run.problem == nil else {
            table.add(run.failedRow(stage, target: "-"))
            return
        }
        let perObservation = run.process.cpuSeconds / Double(run.observed)
        let figure = String(format: "%.0f obs/s, %.0f µs CPU per observation", run.rate, perObservation * 1e6)
        addInformation(stage, figure, beside: reference, into: &table) { reference in
            (
                String(
                    format: "%.0f req/s, %.1f µs CPU per wrk request", reference.rate, reference.cpuPerRequest * 1e6),
                run.rate / reference.rate
            )
        }
    }

    /// `wrk -t2 -cN -d5s` on one gateway's show URL; nil when wrk is not installed.
    private func wrk(on server: SimulatorProcess, id: String, token: String, connections: Int) -> WrkRun? {
        guard let wrk = ChildProcess.which("wrk") else { return nil }
        let url = "\(server.baseURL)/v5/\(server.projectID)/customer-gateways/\(id)"
        let output = path("wrk.txt")
        let process = ChildProcess.run(
            wrk, ["-t2", "-c\(connections)", "-d5s", "-H", "X-Auth-Token: \(token)", url], stdoutPath: output)
        return WrkRun(process: process, output: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
}

/// `2000` as `2,000`, whatever the locale.
private func grouped(_ number: Int) -> String {
    let text = String(number)
    var groups: [Substring] = []
    var end = text.endIndex
    while end > text.startIndex {
        let start = text.index(end, offsetBy: -3, limitedBy: text.startIndex) ?? text.startIndex
        groups.insert(text[start..<end], at: 0)
        end = start
    }
    return groups.joined(separator: ",")
}
