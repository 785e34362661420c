import ArgumentParser
import GatewayAudit

struct ResourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resources",
        abstract: "List every known resource (customer gateways, VPN gateways, connections) with its state.",
        discussion: """
            state is present or gone (unknown when every fetch failed); status is the latest operational \
            status (VPN gateways and connections).

            Example: gateway-audit resources --kind vpn-connection --format csv
            """
    )

    @Option(
        name: .customLong("kind"),
        help: ArgumentHelp(
            "Only this kind (repeatable): customer-gateway, vpn-gateway or vpn-connection.", valueName: "kind"))
    var kinds: [ResourceKind] = []

    @OptionGroup var list: ListOptions

    func run() async throws {
        let zone = list.zoneOption.tz
        let known = try list.database.openForReading().gateways()
        let resources = known.filter { kinds.isEmpty || kinds.contains($0.kind) }
            .sorted { ($0.kind, $0.gatewayID) < ($1.kind, $1.gatewayID) }
        let header = ["resource_kind", "id", "state", "status", "name", "first_seen", "last_seen", "snapshots"]
        let rows = resources.map { r in
            [
                r.kind.rawValue, r.gatewayID.rawValue, r.state?.rawValue ?? "unknown", r.status ?? "", r.name ?? "",
                r.firstSeen?.iso8601(in: zone) ?? "", r.lastSeen?.iso8601(in: zone) ?? "", String(r.snapshotCount),
            ]
        }
        ListPrinter.print(
            header: header, rows: rows, format: list.format,
            empty: known.isEmpty
                ? "No resources recorded yet; run `gateway-audit collect`."
                : ListPrinter.noMatch(
                    "resources", options: kinds.flatMap { ["--kind", $0.rawValue] }, recorded: known.count))
    }
}
