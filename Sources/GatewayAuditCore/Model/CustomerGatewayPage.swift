import Foundation

/// One page of `GET /v5/{project_id}/customer-gateways?limit=&marker=`.
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
        let json = try JSONValue(data: data)
        guard let list = json["customer_gateways"] else {
            throw .missingMember("customer_gateways", in: "the list response")
        }
        guard let entries = list.arrayValue else {
            throw .unexpectedShape(member: "customer_gateways", expected: "a list")
        }
        var gateways: [CustomerGateway] = []
        gateways.reserveCapacity(entries.count)
        for entry in entries { gateways.append(try CustomerGateway(json: entry)) }
        self.gateways = gateways
        totalCount = json["total_count"]?.integerValue.map { Int($0) }
        let marker = json["page_info"]?["next_marker"]?.scalarText
        nextMarker = marker?.isEmpty == false ? marker : nil
        currentCount = json["page_info"]?["current_count"]?.integerValue.map { Int($0) }
        requestID = json["request_id"]?.stringValue
    }
}
