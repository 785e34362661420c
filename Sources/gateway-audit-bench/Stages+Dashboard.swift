import ArgumentParser
import Foundation
import GatewayAudit
import VPNSimulator

extension Stages {
    /// The issue-17 targets: the history dashboard of 1,000 gateways × 60 nights is at most 1.2 MB and
    /// written in under a second (the `gateway-audit report` process, start to exit), beside the same
    /// history as CSV and as NDJSON.
    func dashboard(into table: inout BenchTable) async throws {
        let database = try await Stages.buildDashboardHistory(
            path: path("dashboard.sqlite"), gateways: 1_000, nights: 60, stages: self)
        let page = path("history.UTC.html")
        let html = ChildProcess.run(
            tool, ["report", "history", "--format", "html", "--db", database, "--output", page])
        let csv = ChildProcess.run(
            tool, ["report", "history", "--db", database, "--output", path("history.UTC.csv")])
        let json = ChildProcess.run(
            tool, ["report", "history", "--format", "json", "--db", database, "--output", path("history.UTC.ndjson")])
        let bytes = Stages.fileSize(page)
        table.add(
            BenchRow(
                stage: "dashboard: history HTML, 1000 × 60", figure: "\(bytes) B (\(formatBytes(bytes)))",
                reference: "\(Stages.fileSize(path("history.UTC.csv"))) B as CSV", ratio: nil, target: "≤ 1.2 MB",
                met: html.status == 0 && bytes <= 1_200_000))
        table.add(
            BenchRow(
                stage: "dashboard: writing it", figure: String(format: "%.3f s", html.seconds),
                reference: String(format: "%.3f s CSV, %.3f s NDJSON", csv.seconds, json.seconds),
                ratio: html.seconds / max(csv.seconds, 0.001), target: "< 1 s",
                met: html.status == 0 && html.seconds < 1))
    }

    /// A history of `gateways` synthetic gateways over `nights` nights (about 1 % change each night).
    static func buildDashboardHistory(path: String, gateways: Int, nights: Int, stages: Stages) async throws -> String {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        var year = SyntheticYear(gateways: gateways)
        let store = try HistoryDatabase.open(path: path)
        for night in 0..<nights {
            if night > 0 { year.advance() }
            let at = SyntheticYear.runTime(ofNight: night)
            try await stages.record(year.current.map { Observation.present($0, at: at) }, in: store, at: at)
        }
        try store.checkpoint()
        return path
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

/// `gateway-audit-bench dashboard`: only the dashboard stage, keeping its files (the browser check
/// renders the page it writes).
struct DashboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Build 1,000 gateways × 60 nights, write the history dashboard, print its size and time.",
        discussion: "Example: gateway-audit-bench dashboard --work-dir .build/dashboard  (page: history.UTC.html)"
    )

    @Option(name: .customLong("work-dir"), help: "Where the database and the pages go (kept).")
    var workDir: String

    func run() async throws {
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let tool = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("gateway-audit").path
        var table = BenchTable()
        try await Stages(directory: workDir, gateways: 1_000, nights: 60, tool: tool).dashboard(into: &table)
        print(table.text)
    }
}
