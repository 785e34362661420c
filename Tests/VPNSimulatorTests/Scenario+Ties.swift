import GatewayAudit
import VPNSimulator

extension Scenario {
    /// `count` gateways in groups of `groupSize` sharing one `created_at` (one group per minute, the
    /// newest group first in list order), e.g. 30 gateways in 6 groups of 5.
    static func tiedGroups(_ count: Int, groupSize: Int) -> Scenario {
        let gateways = (0..<count).map { i -> SimulatedGateway in
            let created = Instant(seconds: 1_735_689_600 + Int64(i / groupSize) * 60).iso8601(fractionDigits: 3)
            return SimulatedGateway(
                id: GatewayID(String(format: "00000000-0000-4000-8000-%012d", i)), name: "tied-\(i)",
                idValue: "198.51.\(i / 250).\(i % 250 + 1)", createdAt: created, updatedAt: created)
        }
        return Scenario(
            name: "tied", seed: 11, projectID: "0123456789abcdef0123456789abcdef", start: "2025-03-01T02:00:00Z",
            nights: 1, gateways: gateways)
    }
}
