import ArgumentParser
import Foundation

/// Only the estate stage: `gateway-audit-bench estate`.
struct EstateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estate",
        abstract: "20 scopes × 500 gateways with 20 ms latency: one estate run against the slowest scope alone.")

    @Option(name: .long, help: "Scopes (a multiple of 4).")
    var scopes: Int = 20

    @Option(name: .long, help: "Customer gateways per scope.")
    var gateways: Int = 500

    func run() async throws {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("ga-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var table = BenchTable()
        let stages = Stages(directory: directory, gateways: gateways, nights: 1, tool: "")
        try await stages.estate(into: &table, scopes: scopes, gatewaysPerScope: gateways)
        print(table.text)
    }
}
