import ArgumentParser
import Foundation
import GatewayAudit
import VPNSimulator

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-audit-bench",
        abstract:
            "Measure ingest, storage, reports, queries, collection and a peer, each beside a reference from the same run.",
        discussion: """
            Run in release: swift run -c release gateway-audit-bench [--quick]. The references wrk (apt-get \
            install wrk), git-history (pip install git-history) and sqlite3 must be installed; the bench never \
            installs anything itself, a missing one is reported in its row.
            """,
        subcommands: [RunBench.self, GenerateYear.self, EstateBench.self, DashboardBench.self],
        defaultSubcommand: RunBench.self
    )
}

struct RunBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run every stage and print the table.")

    @Flag(name: .long, help: "Small sizes (1,000 gateways × 30 nights, 100k-row report) for CI and smoke tests.")
    var quick = false

    @Option(name: .long, help: "Gateways (default 10,000; 1,000 with --quick).")
    var gateways: Int?

    @Option(name: .long, help: "Nights (default 365; 30 with --quick).")
    var nights: Int?

    @Option(
        name: .customLong("work-dir"), help: "Where the benchmark databases go (default: a temp folder, removed after)."
    )
    var workDir: String?

    @Option(
        name: .customLong("only"),
        help: ArgumentHelp(
            "Run only these stages (repeatable): ingest, kinds, storage (with report, dashboard and query), year (storage's year alone), collection, estate, peer, postgres.",
            valueName: "stage"))
    var only: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The PostgreSQL server for the postgres stage (it creates and drops databases ga_bench_*), e.g. the URL Tests/postgres/cluster.sh start DIR prints; also GATEWAY_AUDIT_BENCH_PG.",
            valueName: "url"))
    var postgres: String?

    @Flag(
        name: .long,
        help:
            "Exit 1 when a ratio is more than 50 % worse than its target (above 1.5 × a ≤ limit, below a ≥ limit ÷ 1.5), or the upgraded year does not verify: the CI gate."
    )
    var check = false

    func run() async throws {
        let count = gateways ?? (quick ? 1_000 : 10_000)
        let nightCount = nights ?? (quick ? 30 : 365)
        let bigReportRows = quick ? 100_000 : 1_000_000
        let directory =
            workDir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("ga-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if workDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let tool = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "gateway-audit"
        ).path

        var table = BenchTable()
        FileHandle.standardError.write(
            Data("gateway-audit-bench: \(count) gateways × \(nightCount) nights in \(directory)\n".utf8))
        let stages = Stages(directory: directory, gateways: count, nights: nightCount, tool: tool)
        func wanted(_ stage: String) -> Bool { only.isEmpty || only.contains(stage) }
        if wanted("ingest") { try await stages.ingest(into: &table) }
        if wanted("kinds") { try await stages.ingestKinds(into: &table) }
        if wanted("storage") {
            let year = try await stages.storage(into: &table)
            try stages.upgrade(year: year, into: &table)
            try await stages.report(year: year, bigRows: bigReportRows, into: &table)
            try await stages.dashboard(into: &table)
            try stages.query(year: year, into: &table)
        } else if wanted("year") {
            _ = try await stages.storage(into: &table)
        }
        if wanted("collection") { try await stages.collection(into: &table) }
        if wanted("estate") { try await stages.estate(into: &table) }
        if wanted("peer") { try stages.peer(gateways: quick ? 200 : 1_000, nights: quick ? 15 : 60, into: &table) }
        if wanted("postgres") {
            if let url = postgres ?? ProcessInfo.processInfo.environment["GATEWAY_AUDIT_BENCH_PG"] {
                try await stages.postgres(server: try BenchPostgres(url: url), bigRows: bigReportRows, into: &table)
            } else {
                table.add(
                    BenchRow(
                        stage: "postgres", figure: "-", reference: "no server given (--postgres URL)", ratio: nil,
                        target: "-", met: nil))
            }
        }
        print("")
        print(
            "gateway-audit-bench \(GatewayAuditVersion.current): \(count) gateways × \(nightCount) nights, \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
        print(table.text)
        if check {
            let farOff = table.rows.filter { $0.isFarOff(tolerance: 1.5) }
            for row in farOff {
                FileHandle.standardError.write(
                    Data(
                        "gateway-audit-bench: \(row.stage): ratio \(String(format: "%.2f", row.ratio ?? 0)) is more than 50 % worse than \(row.target)\n"
                            .utf8))
            }
            let broken = table.rows.filter { $0.mustHold && $0.met == false }
            for row in broken {
                FileHandle.standardError.write(Data("gateway-audit-bench: \(row.stage): \(row.reference)\n".utf8))
            }
            if !farOff.isEmpty || !broken.isEmpty { throw ExitCode(1) }
            let gated = table.rows.filter { $0.ratioLimit != nil }.count
            let exact = table.rows.filter(\.mustHold).count
            print("check: \(gated) ratio(s) within 50 % of their targets; \(exact) exact target(s) held")
        }
    }
}
