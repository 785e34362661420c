import GatewayAuditCore
import GatewayAuditStore

/// An Ed25519 signature of a manifest and the public key that made it.
public struct ManifestSignature: Sendable, Hashable, Codable {
    /// Always `ed25519`.
    public var algorithm: String
    /// Base64 of the 32-byte public key.
    public var publicKey: String
    /// Base64 of the 64-byte signature.
    public var value: String

    enum CodingKeys: String, CodingKey {
        case algorithm, value
        case publicKey = "public_key"
    }
}
