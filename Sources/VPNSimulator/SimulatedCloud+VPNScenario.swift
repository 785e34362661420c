import GatewayAuditCore

extension SimulatedCloud {
    /// Applies night `night`'s VPN events, ten virtual minutes apart from 13:00 the day before its run.
    func applyVPNEvents(ofNight night: Int) {
        let events = scenario.vpnEvents.filter { $0.night == night }
        for (index, event) in events.enumerated() {
            apply(event, at: runTime(ofNight: night - 1).adding(seconds: 13 * 3600 + Int64(index) * 600))
        }
    }

    /// Applies one VPN event at `at`; an event for a resource that no longer exists is skipped.
    func apply(_ event: VPNScenarioEvent, at: Instant) {
        switch event.change {
        case .createVPNGateway(var gateway):
            if gateway.createdAt == nil { gateway.createdAt = gateway.style.render(at) }
            vpnGateways[gateway.id] = gateway
        case .createConnection(var connection):
            if connection.createdAt == nil { connection.createdAt = connection.style.render(at) }
            connections[connection.id] = connection
        case .delete:
            vpnGateways[event.resource] = nil
            connections[event.resource] = nil
        default:
            if var gateway = vpnGateways[event.resource] {
                SimulatedCloud.change(&gateway, event.change)
                gateway.updatedAt = gateway.style.render(at)
                vpnGateways[gateway.id] = gateway
            } else if var connection = connections[event.resource] {
                SimulatedCloud.change(&connection, event.change)
                connection.updatedAt = connection.style.render(at)
                connections[connection.id] = connection
            }
        }
    }

    private static func change(_ gateway: inout SimulatedVPNGateway, _ change: VPNScenarioChange) {
        switch change {
        case .rename(let name): gateway.name = name
        case .addLocalSubnets(let subnets): gateway.localSubnets += subnets
        case .rotateCertificate(let id): gateway.certificateID = id
        case .setIKEPolicy(let policy): gateway.ikeTemplate = policy
        case .setIPsecPolicy(let policy): gateway.ipsecTemplate = policy
        case .createVPNGateway, .createConnection, .delete, .addPeerSubnets: break
        }
    }

    private static func change(_ connection: inout SimulatedConnection, _ change: VPNScenarioChange) {
        switch change {
        case .rename(let name): connection.name = name
        case .setIKEPolicy(let policy): connection.ikePolicy = policy
        case .setIPsecPolicy(let policy): connection.ipsecPolicy = policy
        case .addPeerSubnets(let subnets): connection.peerSubnets += subnets
        case .createVPNGateway, .createConnection, .delete, .addLocalSubnets, .rotateCertificate: break
        }
    }
}
