import Foundation

/// One page of `GET /v5/{project_id}/customer-gateways?limit=&marker=`, typed.
public struct CustomerGatewayPage: Sendable, Hashable {
    /// The gateways on this page, in the order sent (newest first).
    public let gateways: [CustomerGateway]
    /// `total_count`, when sent.
    public let totalCount: Int?
    /// `page_info.next_marker`: the marker for the next page, nil when absent or empty.
    public let nextMarker: String?
    /// `page_info.current_count`, when sent.
    public let currentCount: Int?
    /// The body's `request_id`, when sent.
    public let requestID: String?

    /// Parses a list page.
    /// - Throws: ``ModelError`` when the body is not JSON, lacks a `customer_gateways` list, or an
    ///   entry has no id.
    public init(data: Data) throws(ModelError) {
        let page = try ResourcePage(kind: .customerGateway, data: data)
        gateways = page.resources.map(CustomerGateway.init(resource:))
        totalCount = page.totalCount
        nextMarker = page.nextMarker
        currentCount = page.currentCount
        requestID = page.requestID
    }
}
