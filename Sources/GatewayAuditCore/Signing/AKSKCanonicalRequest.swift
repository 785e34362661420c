import Crypto
import Foundation

/// The canonical form of an HTTP request that `SDK-HMAC-SHA256` signs (API.md, "AK/SK signing").
///
/// Built the same way by a client that signs and by a server that verifies, so both arrive at the
/// same bytes: each path segment percent-decoded then encoded with ``PercentEncoding`` (unreserved set,
/// upper-case hex) and a trailing `/`; query pairs decoded, re-encoded and sorted; the signed headers lower-cased,
/// trimmed and sorted; and the hex SHA-256 of the body.
public struct AKSKCanonicalRequest: Sendable, Hashable {
    /// The HTTP method in upper case (`GET`).
    public let method: String
    /// The canonical URI: encoded segments joined with `/`, always ending with `/`.
    public let canonicalURI: String
    /// The canonical query: `key=value` pairs, encoded and sorted, joined with `&`.
    public let canonicalQuery: String
    /// `name:value\n` for every signed header, sorted by name.
    public let canonicalHeaders: String
    /// The lower-case signed header names, sorted, joined with `;`.
    public let signedHeaders: String
    /// Lower-case hex SHA-256 of the body.
    public let bodySHA256: String

    /// Canonicalises a request.
    ///
    /// - Parameters:
    ///   - method: the HTTP method, any case.
    ///   - path: the path as sent on the wire (may be percent-encoded), without query.
    ///   - query: the raw query string without `?`, or nil.
    ///   - headers: header names (any case) and values; only those named in `signedHeaders` are used.
    ///   - signedHeaders: the header names to sign, any case; missing headers sign as an empty value.
    ///   - body: the exact body bytes (empty for none).
    public init(
        method: String, path: String, query: String?, headers: [String: String], signedHeaders: [String],
        body: some DataProtocol
    ) {
        self.init(
            method: method, path: path, query: query, headers: headers, signedHeaders: signedHeaders,
            bodySHA256: AKSKCanonicalRequest.hexSHA256(body))
    }

    /// Canonicalises a request whose body hash is already known.
    public init(
        method: String, path: String, query: String?, headers: [String: String], signedHeaders: [String],
        bodySHA256: String
    ) {
        self.method = method.uppercased()
        self.canonicalURI = AKSKCanonicalRequest.canonicalURI(path)
        self.canonicalQuery = AKSKCanonicalRequest.canonicalQuery(query)
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        let names = Array(Set(signedHeaders.map { $0.lowercased() })).sorted()
        self.canonicalHeaders = names.map { name in
            name + ":" + (lowered[name] ?? "").trimmingCharacters(in: .whitespaces) + "\n"
        }.joined()
        self.signedHeaders = names.joined(separator: ";")
        self.bodySHA256 = bodySHA256
    }

    /// The canonical request text, the six parts joined by newlines.
    public var text: String {
        [method, canonicalURI, canonicalQuery, canonicalHeaders, signedHeaders, bodySHA256].joined(separator: "\n")
    }

    /// Lower-case hex SHA-256 of ``text``: the last line of the string to sign.
    public var hash: String { AKSKCanonicalRequest.hexSHA256(Data(text.utf8)) }

    /// The string to sign for a given `X-Sdk-Date` value.
    public func stringToSign(sdkDate: String) -> String {
        AKSKSigner.algorithm + "\n" + sdkDate + "\n" + hash
    }

    /// The canonical URI of a raw path: segments decoded and re-encoded, ending with `/`.
    public static func canonicalURI(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var uri = segments.map { PercentEncoding.encode(PercentEncoding.decode($0)) }.joined(separator: "/")
        if !uri.hasPrefix("/") { uri = "/" + uri }
        if !uri.hasSuffix("/") { uri += "/" }
        return uri
    }

    /// The canonical query of a raw query string (without `?`): pairs sorted by key, then value.
    public static func canonicalQuery(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        var pairs: [(key: String, value: String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = PercentEncoding.encode(PercentEncoding.decode(parts[0], plusAsSpace: true))
            let value =
                parts.count > 1 ? PercentEncoding.encode(PercentEncoding.decode(parts[1], plusAsSpace: true)) : ""
            pairs.append((key, value))
        }
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.value < $1.value }
        return pairs.map { $0.key + "=" + $0.value }.joined(separator: "&")
    }

    /// Lower-case hex SHA-256 of some bytes.
    public static func hexSHA256(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            text += String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
        }
        return text
    }
}
