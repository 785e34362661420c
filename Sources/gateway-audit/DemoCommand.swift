import ArgumentParser
import Foundation
import GatewayAudit
import GatewayAuditDemo

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "See the whole product in one command: a simulated cloud, 30 nightly collections, every report.",
        discussion: """
            Starts the VPN simulator on 127.0.0.1, runs the real collector against it once per simulated night, \
            then writes the history, changes, timestamps and status views as CSV, HTML and NDJSON in UTC and \
            Europe/Berlin, each with its manifest. \
            No cloud account or network is needed. The same seed always gives the same files.

            Example: gateway-audit demo --nights 30 --output-dir reports
            """
    )

    @Option(name: .long, parsing: .unconditional, help: "Simulated nights to collect (1-30).")
    var nights: Int = 30

    @Option(
        name: .customLong("output-dir"),
        help: ArgumentHelp(
            "Folder for the reports. Default: reports (with --estate: reports/estate).", valueName: "dir"))
    var outputDirOption: String?

    @Flag(name: .long, help: "Collect a simulated estate: two accounts, three regions, five projects, one file.")
    var estate = false

    var outputDir: String { outputDirOption ?? (estate ? "reports/estate" : "reports") }

    @Option(
        name: .long,
        help: ArgumentHelp(
            "History database: a file, or an empty PostgreSQL database (postgres://…). Default: <output-dir>/demo.sqlite.",
            valueName: "path"))
    var db: String?

    @Option(name: .long, parsing: .unconditional, help: "Scenario seed (request ids and generated certificate ids).")
    var seed: UInt64?

    @OptionGroup var zoneOption: ZoneOption

    func run() async throws {
        // The demo shows a second zone beside UTC: Berlin unless --tz names another.
        let zone = try zoneOption.tz.isUTC ? Zone(identifier: "Europe/Berlin") : zoneOption.tz
        var options = Demo.Options(nights: nights, outputDirectory: outputDir, databasePath: db, seed: seed, zone: zone)
        options.estate = estate
        let summary: Demo.Summary
        do {
            summary = try await Demo(
                options: options, logger: StderrLogHandler.logger("gateway-audit.demo", level: .error)
            ).run()
        } catch let failure as Demo.Failure {
            throw CommandFailure(status: .usage, description: failure.description)
        }
        let s = summary.statistics
        let db = summary.databasePath
        let example = summary.exampleGatewayID?.rawValue ?? "<gateway-id>"
        var lines = [
            estate
                ? "gateway-audit demo --estate: \(nights + 1) nights × 5 scopes (accounts prod-huawei and otc; "
                    + "regions eu-west-101, ap-southeast-1, eu-de)"
                : "gateway-audit demo: \(nights + 1) nightly collections against the simulated cloud",
            "  resources:  "
                + ResourceKind.allCases.map { kind in
                    let counts = summary.resources[kind] ?? (0, 0)
                    return "\(counts.known) \(kind.noun)s (\(counts.gone) gone)"
                }.joined(separator: ", "),
            "  tunnels:    \(summary.tunnelsChanged) connections changed configuration, "
                + "\(summary.tunnelsDown) went DOWN at least once (report status)",
            "  snapshots:  \(s.snapshots) stored for \(s.runs) runs",
            "  changes:    \(s.fieldChanges) field changes, \(s.events) resource events",
            "  anomalies:  \(s.anomalies) timestamp and identity anomalies",
            "  database:   \(db)",
            "  reports:",
        ]
        lines += summary.files.map { "    \($0)" }
        lines += [
            "",
            "Try next (from the source tree, put `swift run` in front):",
            "  gateway-audit when-changed \(example) --db \(db) --tz Europe/Berlin",
            "  gateway-audit gateways --db \(db)",
            "  gateway-audit resources --kind vpn-connection --db \(db)",
            "  gateway-audit report status --kind vpn-connection --db \(db) --output -",
            "  gateway-audit report changes --db \(db) --tz Asia/Kolkata --format html --output changes.html",
            "  open \(outputDir)/history.Europe-Berlin.html in a browser",
        ]
        print(lines.joined(separator: "\n"))
        if summary.incompleteRuns > 0 {
            throw CommandFailure(
                status: .partial, description: "\(summary.incompleteRuns) demo run(s) did not complete")
        }
    }
}
