import GatewayAuditCore

/// A CA certificate bound to a simulated gateway (`ca_certificate`).
public struct SimulatedCertificate: Sendable, Hashable, Codable {
    /// Certificate id.
    public var id: String
    /// Serial number; a rotation changes it.
    public var serialNumber: String
    /// Signature algorithm.
    public var signatureAlgorithm: String
    /// Issuer DN.
    public var issuer: String
    /// Subject DN.
    public var subject: String
    /// `expire_time` exactly as it is sent.
    public var expireTime: String
    /// `is_updatable`.
    public var isUpdatable: Bool

    /// Creates a certificate.
    public init(
        id: String, serialNumber: String, signatureAlgorithm: String = "sha256WithRSAEncryption",
        issuer: String = "CN=Example Root CA,O=Example,C=DE", subject: String, expireTime: String,
        isUpdatable: Bool = true
    ) {
        self.id = id
        self.serialNumber = serialNumber
        self.signatureAlgorithm = signatureAlgorithm
        self.issuer = issuer
        self.subject = subject
        self.expireTime = expireTime
        self.isUpdatable = isUpdatable
    }

    /// The API's JSON object.
    public var json: JSONValue {
        .object([
            "id": .string(id), "serial_number": .string(serialNumber),
            "signature_algorithm": .string(signatureAlgorithm),
            "issuer": .string(issuer), "subject": .string(subject), "expire_time": .string(expireTime),
            "is_updatable": .bool(isUpdatable),
        ])
    }
}
