import GatewayAuditCore
import HTTPTypes

extension HTTPFields {
    /// The first value of the field named `name` (any case); nil when absent or not a valid field name.
    func value(named name: String) -> String? {
        HTTPField.Name(name).flatMap { self[$0] }
    }

    /// Appends a field whose name is given as text (the cloud's `X-…` headers have no predefined name).
    /// - Throws: ``ClientError/invalidConfiguration(_:)`` when `name` is not a valid field name.
    mutating func append(named name: String, value: String) throws(ClientError) {
        guard let fieldName = HTTPField.Name(name) else {
            throw .invalidConfiguration("\"\(name)\" is not a valid HTTP header name")
        }
        append(HTTPField(name: fieldName, value: value))
    }
}
