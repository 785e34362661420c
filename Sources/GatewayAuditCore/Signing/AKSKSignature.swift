/// The outcome of signing one request: the headers to send and the intermediate values (for tests and
/// for diagnosing a `401 APIGW.0301`).
public struct AKSKSignature: Sendable, Hashable {
    /// The canonical request that was signed.
    public let canonicalRequest: AKSKCanonicalRequest
    /// The `X-Sdk-Date` value.
    public let sdkDate: String
    /// Lower-case hex signature.
    public let signature: String
    /// Headers to add to the request (`X-Sdk-Date`, `Authorization`, `Host`, `X-Security-Token`).
    public let headers: [String: String]
}
