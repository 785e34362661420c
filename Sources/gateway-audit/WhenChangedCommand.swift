import ArgumentParser
import Foundation
import GatewayAudit

struct WhenChangedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "when-changed",
        abstract: "List when a gateway changed: each change's window and the API's updated_at.",
        discussion: """
            A window runs from the last observation that saw the old state to the first that saw the new one. \
            CHECK says whether the API's updated_at falls inside it.

            Example: gateway-audit when-changed 5f3c...e1 --field name --tz Europe/Berlin
            """
    )

    @Argument(help: ArgumentHelp("The gateway id (see `gateway-audit gateways`).", valueName: "gateway-id"))
    var gatewayID: String

    @Option(
        name: .long, help: ArgumentHelp("Only this field (e.g. name, ca_certificate, tags.env).", valueName: "name"))
    var field: String?

    @OptionGroup var zoneOption: ZoneOption

    @Option(name: .long, help: "text or json.")
    var format: TextOrJSON = .text

    @OptionGroup var database: DatabaseOption

    @OptionGroup(title: "Scopes") var scopes: ScopeOptions

    func run() async throws {
        let store = try database.openForReading()
        // An id copied out of a console or a mail often brings spaces (or a line end) with it.
        let id = GatewayID(gatewayID.trimmingCharacters(in: .whitespacesAndNewlines))
        // An unset variable (`when-changed "$ID"`) is a mistake, never a resource named "".
        guard !id.rawValue.isEmpty else {
            throw ValidationError("give a resource's id (or its name); `gateway-audit gateways` lists them")
        }
        let report = try WhenChangedReport(
            store: store, gatewayID: id, field: field, zone: zoneOption.tz, scopes: scopes.filter)
        let stdout = StandardOutput()
        stdout.write(format == .json ? report.json() : report.text)
        stdout.flush()
    }
}
