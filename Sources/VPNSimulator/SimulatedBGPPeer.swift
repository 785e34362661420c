import GatewayAuditCore

/// The configured side of a BGP connection's peer (`bgp_peer`); its state and counters are operational
/// and computed per night (see ``SimulatedConnection/json(night:runTime:)``).
public struct SimulatedBGPPeer: Sendable, Hashable, Codable {
    /// The peer's tunnel address.
    public var peerIPAddress: String
    /// The peer's AS number.
    public var peerASN: Int64
    /// Routes received while the session is up (the count moves by 0 to 2 from night to night).
    public var baseRoutes: Int64

    /// Creates a peer.
    public init(peerIPAddress: String, peerASN: Int64, baseRoutes: Int64 = 12) {
        self.peerIPAddress = peerIPAddress
        self.peerASN = peerASN
        self.baseRoutes = baseRoutes
    }
}
