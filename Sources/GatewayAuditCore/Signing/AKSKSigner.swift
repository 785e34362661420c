import Crypto
import Foundation

/// Signs requests with an access key / secret key pair the way the cloud's API gateway expects
/// (`SDK-HMAC-SHA256`, API.md "AK/SK signing"), and computes signatures for a verifier.
///
/// The secret key never appears in ``description`` or ``debugDescription``, so a signer can be
/// logged or interpolated without leaking it.
public struct AKSKSigner: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The algorithm name that starts the string to sign and the `Authorization` header.
    public static let algorithm = "SDK-HMAC-SHA256"
    /// The largest difference between `X-Sdk-Date` and the server's clock that the gateway accepts.
    public static let allowedSkewSeconds: Int64 = 15 * 60

    /// The access key id (`AK`), sent in the clear in `Authorization`.
    public let accessKey: String
    /// The session token of temporary credentials, sent as `X-Security-Token`.
    public let securityToken: String?
    private let secretKey: String

    /// Creates a signer for a key pair (and the security token of temporary credentials).
    public init(accessKey: String, secretKey: String, securityToken: String? = nil) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.securityToken = securityToken
    }

    /// Signs a request and returns the headers to add to it.
    ///
    /// The signed headers are every header in `headers`, plus `host` (taken from `url`, with its port
    /// when one is given) when `signHost` is true, plus `x-sdk-date`, plus `x-security-token` when the
    /// signer has one. The returned headers are
    /// `X-Sdk-Date`, `Authorization`, `Host` when signed, and `X-Security-Token` when the signer has one.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - url: the full request URL; its path and query are signed exactly as they will be sent.
    ///   - headers: the headers that will be sent and must be signed (e.g. `Content-Type`).
    ///   - body: the exact body bytes.
    ///   - date: the signing time; the server rejects it when more than 15 minutes off its clock.
    ///   - signHost: whether to sign the `Host` header (clients normally do).
    public func sign(
        method: String, url: URL, headers: [String: String] = [:], body: some DataProtocol = Data(),
        date: Instant, signHost: Bool = true
    ) -> AKSKSignature {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? url.path
        let query = components?.percentEncodedQuery
        var allHeaders = headers
        let sdkDate = AKSKSigner.sdkDate(date)
        allHeaders["X-Sdk-Date"] = sdkDate
        if signHost, let host = components?.host {
            allHeaders["Host"] = components?.port.map { "\(host):\($0)" } ?? host
        }
        if let securityToken { allHeaders["X-Security-Token"] = securityToken }
        let canonical = AKSKCanonicalRequest(
            method: method, path: path.isEmpty ? "/" : path, query: query, headers: allHeaders,
            signedHeaders: Array(allHeaders.keys), body: body)
        let signature = AKSKSigner.signature(
            secretKey: secretKey, stringToSign: canonical.stringToSign(sdkDate: sdkDate))
        let authorization = AKSKAuthorization(
            accessKey: accessKey, signedHeaders: canonical.signedHeaders.split(separator: ";").map(String.init),
            signature: signature)
        var added: [String: String] = ["X-Sdk-Date": sdkDate, "Authorization": authorization.headerValue]
        if signHost, let host = allHeaders["Host"] { added["Host"] = host }
        if let securityToken { added["X-Security-Token"] = securityToken }
        return AKSKSignature(canonicalRequest: canonical, sdkDate: sdkDate, signature: signature, headers: added)
    }

    /// The signature of a canonical request under this signer's secret key: what a verifier compares.
    public func signature(of canonicalRequest: AKSKCanonicalRequest, sdkDate: String) -> String {
        AKSKSigner.signature(secretKey: secretKey, stringToSign: canonicalRequest.stringToSign(sdkDate: sdkDate))
    }

    /// Lower-case hex HMAC-SHA256 of `stringToSign` keyed with the secret key's UTF-8 bytes.
    public static func signature(secretKey: String, stringToSign: String) -> String {
        let key = SymmetricKey(data: Data(secretKey.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)
        return AKSKCanonicalRequest.hex(mac)
    }

    /// `X-Sdk-Date` text for an instant: `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func sdkDate(_ instant: Instant) -> String {
        let text = instant.iso8601(in: .utc, fractionDigits: 0)
        return String(text.filter { $0 != "-" && $0 != ":" })
    }

    /// The instant an `X-Sdk-Date` value denotes, or nil when it is not `yyyyMMdd'T'HHmmss'Z'`.
    public static func instant(sdkDate text: String) -> Instant? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        let digits = bytes[0..<8] + bytes[9..<15]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let d = String(decoding: digits, as: UTF8.self)
        func part(_ from: Int, _ count: Int) -> Substring {
            let start = d.index(d.startIndex, offsetBy: from)
            return d[start..<d.index(start, offsetBy: count)]
        }
        let iso = "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))Z"
        return (try? Timestamp(parsing: iso))?.instant
    }

    /// Names the access key only.
    public var description: String { "AKSKSigner(accessKey: \(accessKey), secretKey: <redacted>)" }

    /// Names the access key only.
    public var debugDescription: String { description }
}
