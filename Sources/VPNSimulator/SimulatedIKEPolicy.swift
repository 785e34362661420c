import GatewayAuditCore

/// A connection's IKE policy (`ikepolicy`, the SDK's `IkePolicy` with its `Dpd`); a VPN gateway's
/// `policy_template.ike_policy` (`VgwIkePolicy`) shows four of its members.
public struct SimulatedIKEPolicy: Sendable, Hashable, Codable {
    /// `v1` or `v2`.
    public var ikeVersion: String
    /// `main` or `aggressive` (IKEv1 only, sent anyway).
    public var phase1NegotiationMode: String
    /// e.g. `sha2-256`.
    public var authenticationAlgorithm: String
    /// e.g. `aes-128`, `aes-256`.
    public var encryptionAlgorithm: String
    /// e.g. `group15`.
    public var dhGroup: String
    /// `pre-share` or `digital-envelope-v2`.
    public var authenticationMethod: String
    /// SA lifetime.
    public var lifetimeSeconds: Int64
    /// `ip` or `fqdn`.
    public var localIDType: String
    /// The local identity (the VPN gateway's address for `ip`).
    public var localID: String
    /// `ip` or `fqdn`.
    public var peerIDType: String
    /// The peer identity (the customer gateway's address for `ip`).
    public var peerID: String
    /// Dead peer detection interval, seconds.
    public var dpdInterval: Int64
    /// Dead peer detection timeout, seconds.
    public var dpdTimeout: Int64
    /// Dead peer detection message format.
    public var dpdMessage: String

    /// Creates a policy; the defaults are the console's defaults.
    public init(
        ikeVersion: String = "v2", phase1NegotiationMode: String = "main", authenticationAlgorithm: String = "sha2-256",
        encryptionAlgorithm: String = "aes-128", dhGroup: String = "group15",
        authenticationMethod: String = "pre-share",
        lifetimeSeconds: Int64 = 86_400, localIDType: String = "ip", localID: String, peerIDType: String = "ip",
        peerID: String, dpdInterval: Int64 = 30, dpdTimeout: Int64 = 15, dpdMessage: String = "seq-hash-notify"
    ) {
        self.ikeVersion = ikeVersion
        self.phase1NegotiationMode = phase1NegotiationMode
        self.authenticationAlgorithm = authenticationAlgorithm
        self.encryptionAlgorithm = encryptionAlgorithm
        self.dhGroup = dhGroup
        self.authenticationMethod = authenticationMethod
        self.lifetimeSeconds = lifetimeSeconds
        self.localIDType = localIDType
        self.localID = localID
        self.peerIDType = peerIDType
        self.peerID = peerID
        self.dpdInterval = dpdInterval
        self.dpdTimeout = dpdTimeout
        self.dpdMessage = dpdMessage
    }

    /// The connection's `ikepolicy` object.
    public var json: JSONValue {
        .object([
            "ike_version": .string(ikeVersion), "phase1_negotiation_mode": .string(phase1NegotiationMode),
            "authentication_algorithm": .string(authenticationAlgorithm),
            "encryption_algorithm": .string(encryptionAlgorithm), "dh_group": .string(dhGroup),
            "authentication_method": .string(authenticationMethod), "lifetime_seconds": .integer(lifetimeSeconds),
            "local_id_type": .string(localIDType), "local_id": .string(localID), "peer_id_type": .string(peerIDType),
            "peer_id": .string(peerID),
            "dpd": .object([
                "interval": .integer(dpdInterval), "timeout": .integer(dpdTimeout), "msg": .string(dpdMessage),
            ]),
        ])
    }

    /// The VPN gateway's `policy_template.ike_policy` object (`VgwIkePolicy`).
    public var templateJSON: JSONValue {
        .object([
            "encryption_algorithm": .string(encryptionAlgorithm), "dh_group": .string(dhGroup),
            "authentication_algorithm": .string(authenticationAlgorithm), "lifetime_seconds": .integer(lifetimeSeconds),
        ])
    }
}
