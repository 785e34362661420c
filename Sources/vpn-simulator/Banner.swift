import Foundation
import GatewayAuditCore
import VPNSimulator

/// What the simulator prints once it listens.
struct Banner: Sendable {
    let host: String
    let scenario: Scenario
    let credentials: SimulatorCredentials
    let cloud: SimulatedCloud
    /// Milliseconds added to every API answer (`--latency`); shown only when not zero.
    var latency = 0

    func print(port: Int) async {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let base = "http://\(shownHost):\(port)"
        let now = await cloud.now
        let night = await cloud.night
        var lines = [
            "vpn-simulator listening on \(base)",
            "  scenario:      \(scenario.name) (\(scenario.nights) nights), now night \(night) at "
                + now.iso8601(in: .utc, fractionDigits: 0) + " (X-Sdk-Date \(AKSKSigner.sdkDate(now)))",
            "  project id:    \(cloud.projectID)",
            "  endpoint:      \(base)",
            "  API:           \(base)/v5/\(cloud.projectID)/customer-gateways",
            "                 \(base)/v5/\(cloud.projectID)/vpn-gateways",
            "                 \(base)/v5/\(cloud.projectID)/vpn-connection",
            "  resources:     \(scenario.gateways.count) customer gateways, \(scenario.vpnGateways.count) VPN gateways, "
                + "\(scenario.connections.count) connections at night 0",
        ]
        for pair in credentials.keyPairs {
            lines.append("  access key:    \(pair.accessKey)")
            lines.append("  secret key:    \(pair.secretKey)")
            if let token = pair.securityToken { lines.append("  security token: \(token)") }
        }
        for token in credentials.fixedTokens { lines.append("  X-Auth-Token:  \(token)") }
        for user in credentials.users {
            lines.append(
                "  IAM:           POST \(base)/v3/auth/tokens  user \(user.name) / \(user.password), domain \(user.domain)"
            )
        }
        lines.append(
            "  X-Sdk-Date is checked against the \(credentials.sdkDateClock.rawValue) clock (--sdk-date-clock); "
                + "list markers: \(scenario.markerMode.rawValue) (--marker-mode)")
        if latency > 0 { lines.append("  latency:       \(latency) ms before every API answer (--latency)") }
        if let pair = credentials.keyPairs.first {
            let token = pair.securityToken.map { " HW_SECURITY_TOKEN=\($0)" } ?? ""
            lines.append(
                "  collect:       HW_ACCESS_KEY=\(pair.accessKey) HW_SECRET_KEY=\(pair.secretKey)\(token) "
                    + "HW_PROJECT_ID=\(cloud.projectID) gateway-audit collect --endpoint \(base)")
        }
        lines.append("  advance:       curl -X POST '\(base)/_sim/advance?nights=1'   state: curl '\(base)/_sim/state'")
        // Written unbuffered, so a script reading a pipe sees the URL at once.
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
