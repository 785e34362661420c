import GatewayAuditCore

/// What happens to a VPN gateway or a VPN connection in a ``VPNScenarioEvent``.
///
/// In scenario JSON each case is an object with one member named after the case, like
/// ``ScenarioChange``: `{"setIKEPolicy": {"policy": {...}}}`, `{"delete": {}}`. Every configuration
/// change moves the resource's `updated_at` to the event time.
public enum VPNScenarioChange: Sendable, Hashable, Codable {
    /// A new VPN gateway appears (`createdAt` nil: the event time).
    case createVPNGateway(gateway: SimulatedVPNGateway)
    /// A new connection appears (`createdAt` nil: the event time).
    case createConnection(connection: SimulatedConnection)
    /// The VPN gateway or connection is deleted: GET answers 404 from then on.
    case delete
    /// The name changes.
    case rename(name: String)
    /// A connection's IKE policy is replaced.
    case setIKEPolicy(policy: SimulatedIKEPolicy)
    /// A connection's IPsec policy is replaced.
    case setIPsecPolicy(policy: SimulatedIPsecPolicy)
    /// CIDRs are appended to a connection's `peer_subnets`.
    case addPeerSubnets(subnets: [String])
    /// CIDRs are appended to a VPN gateway's `local_subnets`.
    case addLocalSubnets(subnets: [String])
    /// A VPN gateway's `certificate_id` changes (certificate rotation).
    case rotateCertificate(certificateID: String)
}
