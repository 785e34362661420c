import GatewayAuditCore

/// A connection's IPsec policy (`ipsecpolicy`, the SDK's `IpsecPolicy`); a VPN gateway's
/// `policy_template.ipsec_policy` (`VgwIpsecPolicy`) shows four of its members.
public struct SimulatedIPsecPolicy: Sendable, Hashable, Codable {
    /// e.g. `sha2-256`.
    public var authenticationAlgorithm: String
    /// e.g. `aes-128`.
    public var encryptionAlgorithm: String
    /// Perfect forward secrecy group, e.g. `group15`, or `disable`.
    public var pfs: String
    /// `esp`.
    public var transformProtocol: String
    /// SA lifetime.
    public var lifetimeSeconds: Int64
    /// `tunnel`.
    public var encapsulationMode: String

    /// Creates a policy; the defaults are the console's defaults.
    public init(
        authenticationAlgorithm: String = "sha2-256", encryptionAlgorithm: String = "aes-128", pfs: String = "group15",
        transformProtocol: String = "esp", lifetimeSeconds: Int64 = 3600, encapsulationMode: String = "tunnel"
    ) {
        self.authenticationAlgorithm = authenticationAlgorithm
        self.encryptionAlgorithm = encryptionAlgorithm
        self.pfs = pfs
        self.transformProtocol = transformProtocol
        self.lifetimeSeconds = lifetimeSeconds
        self.encapsulationMode = encapsulationMode
    }

    /// The connection's `ipsecpolicy` object.
    public var json: JSONValue {
        .object([
            "authentication_algorithm": .string(authenticationAlgorithm),
            "encryption_algorithm": .string(encryptionAlgorithm), "pfs": .string(pfs),
            "transform_protocol": .string(transformProtocol), "lifetime_seconds": .integer(lifetimeSeconds),
            "encapsulation_mode": .string(encapsulationMode),
        ])
    }

    /// The VPN gateway's `policy_template.ipsec_policy` object (`VgwIpsecPolicy`).
    public var templateJSON: JSONValue {
        .object([
            "authentication_algorithm": .string(authenticationAlgorithm),
            "encryption_algorithm": .string(encryptionAlgorithm), "pfs": .string(pfs),
            "lifetime_seconds": .integer(lifetimeSeconds),
        ])
    }
}
