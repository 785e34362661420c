import Foundation

/// The body of `GET /v5/{project_id}/customer-gateways/{id}`: `{"customer_gateway": {...}, "request_id": ...}`.
public struct CustomerGatewayResponse: Sendable, Hashable {
    /// The gateway.
    public let gateway: CustomerGateway
    /// The body's `request_id`, when sent.
    public let requestID: String?

    /// Parses a response body.
    /// - Throws: ``ModelError`` when the body is not JSON, lacks `customer_gateway`, or the gateway lacks an id.
    public init(data: Data) throws(ModelError) {
        let response = try ResourceResponse(kind: .customerGateway, data: data)
        gateway = CustomerGateway(resource: response.resource)
        requestID = response.requestID
    }
}
