import GatewayAuditCore

extension Scenario {
    /// Checks the VPN gateways, connections and their events: unique ids, parsable times, and links
    /// (`cgw_id` a customer gateway of the scenario, `vgw_id` a VPN gateway, `vgw_ip` one of its EIPs).
    /// - Throws: ``SimulatorError/invalidScenario(_:)`` naming the first problem.
    func validateVPN(customerGateways: Set<GatewayID>) throws(SimulatorError) {
        var vgws: [String: SimulatedVPNGateway] = [:]
        var known = Set<String>()
        for gateway in vpnGateways { try Scenario.register(gateway, in: &vgws, known: &known) }
        for connection in connections {
            try Scenario.register(connection, vgws: vgws, customerGateways: customerGateways, known: &known)
        }
        for event in vpnEvents {
            guard event.night >= 1 else {
                throw .invalidScenario("VPN event for \(event.resource) on night \(event.night): nights start at 1")
            }
            switch event.change {
            case .createVPNGateway(let gateway):
                guard gateway.id == event.resource else {
                    throw .invalidScenario("create event for \(event.resource) describes VPN gateway \(gateway.id)")
                }
                try Scenario.register(gateway, in: &vgws, known: &known)
            case .createConnection(let connection):
                guard connection.id == event.resource else {
                    throw .invalidScenario("create event for \(event.resource) describes connection \(connection.id)")
                }
                try Scenario.register(connection, vgws: vgws, customerGateways: customerGateways, known: &known)
            default:
                guard known.contains(event.resource) else {
                    throw .invalidScenario(
                        "VPN event on night \(event.night) for unknown resource \(event.resource)")
                }
            }
        }
    }

    private static func register(
        _ gateway: SimulatedVPNGateway, in vgws: inout [String: SimulatedVPNGateway], known: inout Set<String>
    ) throws(SimulatorError) {
        guard known.insert(gateway.id).inserted else {
            throw .invalidScenario("VPN gateway id \(gateway.id) appears twice")
        }
        try checkTimes([gateway.createdAt, gateway.appliedAt, gateway.updatedAt], of: "VPN gateway \(gateway.id)")
        vgws[gateway.id] = gateway
    }

    private static func register(
        _ connection: SimulatedConnection, vgws: [String: SimulatedVPNGateway], customerGateways: Set<GatewayID>,
        known: inout Set<String>
    ) throws(SimulatorError) {
        guard known.insert(connection.id).inserted else {
            throw .invalidScenario("connection id \(connection.id) appears twice")
        }
        guard customerGateways.contains(GatewayID(connection.cgwID)) else {
            throw .invalidScenario("connection \(connection.id): cgw_id \(connection.cgwID) is no customer gateway")
        }
        guard let vgw = vgws[connection.vgwID] else {
            throw .invalidScenario("connection \(connection.id): vgw_id \(connection.vgwID) is no VPN gateway")
        }
        guard vgw.addresses.contains(connection.vgwIP) else {
            throw .invalidScenario("connection \(connection.id): vgw_ip \(connection.vgwIP) is no EIP of \(vgw.id)")
        }
        try checkTimes([connection.createdAt, connection.updatedAt], of: "connection \(connection.id)")
    }

    private static func checkTimes(_ texts: [String?], of owner: String) throws(SimulatorError) {
        for text in texts.compactMap({ $0 }) {
            do {
                _ = try Timestamp(parsing: text)
            } catch {
                throw .invalidScenario("\(owner): \(error.description)")
            }
        }
    }
}
