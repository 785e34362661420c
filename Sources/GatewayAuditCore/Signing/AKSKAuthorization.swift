import Foundation

/// The `Authorization` header of an AK/SK-signed request:
/// `SDK-HMAC-SHA256 Access={AK}, SignedHeaders={a;b}, Signature={hex}`.
public struct AKSKAuthorization: Sendable, Hashable {
    /// The access key id.
    public let accessKey: String
    /// The signed header names, lower case, in the order sent.
    public let signedHeaders: [String]
    /// The hex signature as sent.
    public let signature: String

    /// Creates an authorization value.
    public init(accessKey: String, signedHeaders: [String], signature: String) {
        self.accessKey = accessKey
        self.signedHeaders = signedHeaders
        self.signature = signature
    }

    /// Parses a header value; nil when it is not an `SDK-HMAC-SHA256` authorization with all three parts.
    public init?(headerValue: String) {
        let prefix = AKSKSigner.algorithm + " "
        guard headerValue.hasPrefix(prefix) else { return nil }
        var fields: [String: String] = [:]
        for part in headerValue.dropFirst(prefix.count).split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            fields[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        guard let access = fields["Access"], !access.isEmpty, let headers = fields["SignedHeaders"], !headers.isEmpty,
            let signature = fields["Signature"], !signature.isEmpty
        else { return nil }
        self.init(
            accessKey: access, signedHeaders: headers.split(separator: ";").map { $0.lowercased() },
            signature: signature)
    }

    /// The header value.
    public var headerValue: String {
        "\(AKSKSigner.algorithm) Access=\(accessKey), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
    }
}
