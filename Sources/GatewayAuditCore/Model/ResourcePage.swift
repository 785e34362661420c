import Foundation

/// One page of a list operation (`GET /v5/{project_id}/customer-gateways?limit=&marker=`,
/// `…/vpn-connection?limit=&marker=`, or the unpaged `…/vpn-gateways`).
public struct ResourcePage: Sendable, Hashable {
    /// The resources on this page, in the order sent (newest first).
    public let resources: [Resource]
    /// `total_count` (or `page_info.total_count`), when sent.
    public let totalCount: Int?
    /// `page_info.next_marker`: the marker for the next page, nil when absent or empty.
    public let nextMarker: String?
    /// `page_info.current_count`, when sent.
    public let currentCount: Int?
    /// The body's `request_id`, when sent.
    public let requestID: String?

    /// Parses a list page of `kind`.
    /// - Throws: ``ModelError`` when the body is not JSON, lacks the kind's list member, or an entry
    ///   has no id.
    public init(kind: ResourceKind, data: Data) throws(ModelError) {
        let json = try JSONValue(data: data)
        guard let list = json[kind.listMember] else {
            throw .missingMember(kind.listMember, in: "the list response")
        }
        guard let entries = list.arrayValue else {
            throw .unexpectedShape(member: kind.listMember, expected: "a list")
        }
        var resources: [Resource] = []
        resources.reserveCapacity(entries.count)
        for entry in entries { resources.append(try Resource(kind: kind, json: entry)) }
        self.resources = resources
        totalCount = (json["total_count"] ?? json["page_info"]?["total_count"])?.integerValue.map { Int($0) }
        let marker = json["page_info"]?["next_marker"]?.scalarText
        nextMarker = marker?.isEmpty == false ? marker : nil
        currentCount = json["page_info"]?["current_count"]?.integerValue.map { Int($0) }
        requestID = json["request_id"]?.stringValue
    }
}

/// The body of a show operation: `{"<member>": {...}, "request_id": ...}`.
public struct ResourceResponse: Sendable, Hashable {
    /// The resource.
    public let resource: Resource
    /// The body's `request_id`, when sent.
    public let requestID: String?

    /// Parses a show response of `kind`.
    /// - Throws: ``ModelError`` when the body is not JSON, lacks the kind's member, or the resource lacks an id.
    public init(kind: ResourceKind, data: Data) throws(ModelError) {
        let json = try JSONValue(data: data)
        guard let object = json[kind.singleMember] else {
            throw .missingMember(kind.singleMember, in: "the response")
        }
        resource = try Resource(kind: kind, json: object)
        requestID = json["request_id"]?.stringValue
    }
}
