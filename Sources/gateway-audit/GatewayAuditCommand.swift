import ArgumentParser
import GatewayAudit

@main
struct GatewayAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-audit",
        abstract: "Keep the history of VPN customer gateways and report what changed, and when.",
        version: GatewayAuditVersion.current
    )
}
