/// The CA certificate bound to a customer gateway.
public struct CACertificate: Sendable, Hashable {
    /// The certificate's id in the cloud's certificate store.
    public let id: String?
    /// Serial number; a different one after a rotation.
    public let serialNumber: String?
    /// Signature algorithm, e.g. `sha256WithRSAEncryption`.
    public let signatureAlgorithm: String?
    /// Issuer distinguished name.
    public let issuer: String?
    /// Subject distinguished name.
    public let subject: String?
    /// `expire_time` exactly as sent.
    public let expireTimeText: String?
    /// The parsed `expire_time`, nil when absent or invalid.
    public let expireTime: Timestamp?
    /// Whether the certificate may be replaced in place.
    public let isUpdatable: Bool?

    /// Reads the certificate object; nil when the value is not an object (e.g. `null`).
    public init?(json: JSONValue) {
        guard let members = json.objectValue else { return nil }
        id = members["id"]?.scalarText
        serialNumber = members["serial_number"]?.scalarText
        signatureAlgorithm = members["signature_algorithm"]?.stringValue
        issuer = members["issuer"]?.stringValue
        subject = members["subject"]?.stringValue
        expireTimeText = members["expire_time"]?.stringValue
        expireTime = expireTimeText.flatMap(Timestamp.parsedIfValid)
        isUpdatable = members["is_updatable"]?.boolValue
    }
}
