import GatewayAuditCore
/// Why no HTTP response arrived.
public enum TransportError: Error, Sendable, Hashable {
    /// No answer within the per-request timeout.
    case timeout
    /// The connection failed or was reset; the text names the cause (no secrets).
    case connection(String)
    /// TLS failed: an untrusted or invalid certificate, or a handshake error.
    case tls(String)
    /// The task was cancelled (the run is stopping).
    case cancelled
}

extension TransportError {
    /// The detail of ``tls(_:)`` when the server answered the handshake in plain HTTP.
    static let notTLS = "the server does not speak TLS on this port (WRONG_VERSION_NUMBER)"
}

extension TransportError: CustomStringConvertible {
    /// What went wrong, and for TLS what to do about it.
    public var description: String {
        switch self {
        case .timeout: return "timed out"
        case .connection(let detail): return "connection failed (\(detail))"
        case .tls(let detail) where detail == TransportError.notTLS:
            return "TLS failed (\(detail)); check the port and scheme of --endpoint"
        case .tls(let detail):
            return
                "TLS failed (\(detail)); the server's certificate is not trusted: pass --ca-file with its CA if it is a private cloud"
        case .cancelled: return "cancelled"
        }
    }
}
