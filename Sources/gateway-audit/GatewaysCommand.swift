import ArgumentParser
import GatewayAudit

struct GatewaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateways",
        abstract: "List known customer gateways, present or gone, with snapshot counts and the tunnels using them.",
        discussion: "Example: gateway-audit gateways --format csv > gateways.csv"
    )

    @OptionGroup var list: ListOptions

    @OptionGroup(title: "Scopes") var scopes: ScopeOptions

    func run() async throws {
        let zone = list.zoneOption.tz
        let store = try list.database.openForReading()
        let gateways = try store.gateways(scopes.filter).filter { $0.kind == .customerGateway }
        let header = [
            "gateway_id", "state", "name", "first_seen", "last_seen", "snapshots", "failed", "connections", "account",
            "region", "project_id",
        ]
        let rows = gateways.map { g in
            [
                g.gatewayID.rawValue, g.state?.rawValue ?? "unknown", g.name ?? "",
                g.firstSeen?.iso8601(in: zone) ?? "", g.lastSeen?.iso8601(in: zone) ?? "",
                String(g.snapshotCount), String(g.failedCount), String(g.connections), g.scope.account, g.scope.region,
                g.scope.projectID,
            ]
        }
        let recorded =
            try gateways.isEmpty && !scopes.filter.isEmpty
            ? store.gateways().count(where: { $0.kind == .customerGateway }) : 0
        ListPrinter.print(
            header: header, rows: rows, format: list.format,
            empty: recorded > 0
                ? ListPrinter.noMatch("gateways", options: ListPrinter.options(scopes.filter), recorded: recorded)
                : "No gateways recorded yet; run `gateway-audit collect`.")
    }
}
