import ArgumentParser
import Foundation
import GatewayAudit

struct GatewaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateways",
        abstract: "List known gateways, present or gone, with first and last seen and snapshot counts.",
        discussion: "Example: gateway-audit gateways --format csv > gateways.csv"
    )

    @OptionGroup var list: ListOptions

    func run() async throws {
        let zone = try list.zoneOption.zone()
        let gateways = try list.database.openForReading().gateways()
        let header = ["gateway_id", "state", "name", "first_seen", "last_seen", "snapshots", "failed"]
        let rows = gateways.map { g in
            [
                g.gatewayID.rawValue, g.state?.rawValue ?? "unknown", g.name ?? "",
                g.firstSeen?.iso8601(in: zone) ?? "", g.lastSeen?.iso8601(in: zone) ?? "",
                String(g.snapshotCount), String(g.failedCount),
            ]
        }
        ListPrinter.print(header: header, rows: rows, format: list.format, empty: "No gateways recorded yet; run `gateway-audit collect`.")
    }
}

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List collection runs, newest first, with status and counts.",
        discussion: "A run shown as `running` with no finish was killed; the next run closes it as `aborted`."
    )

    @Option(name: .long, help: "Show at most this many runs.")
    var limit: Int = 50

    @OptionGroup var list: ListOptions

    func run() async throws {
        let zone = try list.zoneOption.zone()
        let runs = try list.database.openForReading().runs(limit: limit)
        let header = ["run", "status", "started", "finished", "observed", "unchanged", "changed", "new", "gone", "failed", "message"]
        let rows = runs.map { r in
            [
                String(r.id), r.status.rawValue, r.startedAt.iso8601(in: zone), r.finishedAt?.iso8601(in: zone) ?? "",
                String(r.counts.observed), String(r.counts.unchanged), String(r.counts.changed), String(r.counts.new),
                String(r.counts.gone), String(r.counts.failed), r.message ?? "",
            ]
        }
        ListPrinter.print(header: header, rows: rows, format: list.format, empty: "No runs recorded yet.")
    }
}

/// The options every listing command shares: output format, zone and database.
struct ListOptions: ParsableArguments {
    @Option(name: .long, help: "text, csv or json.")
    var format: ListFormat = .text

    @OptionGroup var zoneOption: ZoneOption

    @OptionGroup var database: DatabaseOption
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json
}

/// Prints a list as an aligned table, RFC 4180 CSV, or a JSON array of objects.
enum ListPrinter {
    static func print(header: [String], rows: [[String]], format: ListFormat, empty: String) {
        let out = StandardOutput()
        switch format {
        case .text:
            if rows.isEmpty {
                out.write(empty + "\n")
            } else {
                out.write(TextTable(header: header.map { $0.uppercased() }, rows: rows).lines.joined(separator: "\n") + "\n")
            }
        case .csv:
            var writer = CSVWriter(output: out)
            writer.writeRow(header)
            for row in rows { writer.writeRow(row) }
        case .json:
            let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            out.write(String(decoding: (try? encoder.encode(objects)) ?? Data("[]".utf8), as: UTF8.self) + "\n")
        }
        out.flush()
    }
}
