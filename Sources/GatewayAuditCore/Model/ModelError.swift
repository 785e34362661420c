import Foundation

/// Why an API response could not be read as customer gateways.
public enum ModelError: Error, Sendable, Hashable {
    /// The body is not JSON at all (truncated, HTML error page, ...).
    case invalidJSON(String)
    /// The JSON lacks the envelope member that holds the data (`customer_gateway`, `customer_gateways`).
    case missingMember(String, in: String)
    /// A gateway object has no usable `id`.
    case missingID(String)
    /// A member has a shape no API generation uses (an object where a list is expected, ...).
    case unexpectedShape(member: String, expected: String)
}

extension ModelError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidJSON(let detail):
            return "response is not valid JSON (\(detail)); the body may be truncated or come from a proxy"
        case .missingMember(let member, let context):
            return "\(context) has no \"\(member)\" member; is the endpoint a VPN v5 API?"
        case .missingID(let context):
            return "customer gateway without an \"id\" in \(context); it cannot be tracked"
        case .unexpectedShape(let member, let expected):
            return "\"\(member)\" is not \(expected) as the VPN v5 API sends it"
        }
    }
}

extension ModelError: LocalizedError {
    public var errorDescription: String? { description }
}
