import ArgumentParser
import GatewayAudit

struct GatewaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateways",
        abstract: "List known gateways, present or gone, with first and last seen and snapshot counts.",
        discussion: "Example: gateway-audit gateways --format csv > gateways.csv"
    )

    @OptionGroup var list: ListOptions

    func run() async throws {
        let zone = list.zoneOption.tz
        let gateways = try list.database.openForReading().gateways()
        let header = ["gateway_id", "state", "name", "first_seen", "last_seen", "snapshots", "failed"]
        let rows = gateways.map { g in
            [
                g.gatewayID.rawValue, g.state?.rawValue ?? "unknown", g.name ?? "",
                g.firstSeen?.iso8601(in: zone) ?? "", g.lastSeen?.iso8601(in: zone) ?? "",
                String(g.snapshotCount), String(g.failedCount),
            ]
        }
        ListPrinter.print(
            header: header, rows: rows, format: list.format,
            empty: "No gateways recorded yet; run `gateway-audit collect`.")
    }
}
