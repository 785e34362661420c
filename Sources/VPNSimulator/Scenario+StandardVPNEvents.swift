import GatewayAuditCore

extension Scenario {
    /// The built-in scenario's VPN events (see ``standard`` for the table).
    static var standardVPNEvents: [VPNScenarioEvent] {
        let c = standardConnectionID
        let v = standardVPNGatewayID
        let g = standardGatewayID
        let amsterdam = standardConnections[3].ikePolicy
        var aes256 = amsterdam
        aes256.encryptionAlgorithm = "aes-256"
        return [
            VPNScenarioEvent(
                night: 4, resource: c(4), change: .setIKEPolicy(policy: aes256),
                note: "ikepolicy.encryption_algorithm aes-128 → aes-256"),
            VPNScenarioEvent(night: 9, resource: c(5), change: .addPeerSubnets(subnets: ["10.99.1.0/24"])),
            VPNScenarioEvent(night: 10, resource: v(2), change: .rotateCertificate(certificateID: "vgw-cert-0002")),
            VPNScenarioEvent(night: 13, resource: c(7), change: .delete),
            VPNScenarioEvent(
                night: 16, resource: c(8),
                change: .createConnection(
                    connection: connection(
                        8, "paris-legacy", cgw: g(5), peer: "192.0.2.55", vgw: 3, eip: 2, routing: "STATIC",
                        subnets: ["172.20.5.0/24"], created: nil, style: .milliseconds)),
                note: "connection 7 re-created under a new id: same cgw_id and vgw_id"),
            VPNScenarioEvent(night: 18, resource: v(1), change: .addLocalSubnets(subnets: ["10.11.0.0/16"])),
            VPNScenarioEvent(
                night: 24, resource: c(3), change: .setIPsecPolicy(policy: SimulatedIPsecPolicy(pfs: "group20")),
                note: "ipsecpolicy.pfs group15 → group20"),
        ]
    }
}
