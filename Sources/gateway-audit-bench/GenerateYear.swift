import ArgumentParser
import Foundation
import GatewayAudit
import VPNSimulator

/// Writes a synthetic year as nightly list-page JSON files, as a nightly `curl` would have saved them.
struct GenerateYear: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write N gateways × M nights of synthetic list responses, one file per night.",
        discussion: "Example: gateway-audit-bench generate --gateways 1000 --nights 60 --output nights/"
    )

    @Option(name: .long, help: "Gateways.")
    var gateways: Int = 1_000

    @Option(name: .long, help: "Nights.")
    var nights: Int = 60

    @Option(name: .long, help: "Output folder.")
    var output: String

    @Option(name: .long, help: "Seed.")
    var seed: UInt64 = 1

    func run() async throws {
        let files = try GenerateYear.write(gateways: gateways, nights: nights, seed: seed, to: output)
        print("wrote \(files.count) files to \(output)")
    }

    /// Writes the files; returns their paths, oldest first.
    static func write(gateways: Int, nights: Int, seed: UInt64, to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var year = SyntheticYear(gateways: gateways, seed: seed)
        var paths: [String] = []
        for night in 0..<nights {
            if night > 0 { year.advance() }
            let name =
                SyntheticYear.runTime(ofNight: night).iso8601().replacingOccurrences(of: ":", with: "-") + ".json"
            let path = (folder as NSString).appendingPathComponent(name)
            let body: JSONValue = .object([
                "customer_gateways": .array(year.currentJSON), "total_count": .integer(Int64(year.currentJSON.count)),
                "page_info": .object(["current_count": .integer(Int64(year.currentJSON.count))]),
            ])
            try Data(body.canonicalJSON.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        return paths
    }
}
