import Foundation
import GatewayAuditCore

/// What differs between two paged lists: the envelope member, the noun for messages, the largest `limit`.
struct PagedList: Sendable {
    /// `customer_gateways`, `vpn_connections`.
    let member: String
    /// `customer gateway`, `VPN connection`.
    let noun: String
    /// The largest `limit` accepted, also the default.
    let maximumLimit: Int

    /// The API reference: `limit` 0–200, default 200.
    static let customerGateways = PagedList(member: "customer_gateways", noun: "customer gateway", maximumLimit: 200)
    /// The API reference: `limit` 0–200, default 200, as for customer gateways (not 2000); more is `400 VPN.0001`.
    static let connections = PagedList(member: "vpn_connections", noun: "VPN connection", maximumLimit: 200)
}

extension SimulatedCloud {
    /// One page of `items` (already in list order and filtered) for the request's `limit` and `marker`:
    /// `{member: [...], total_count, page_info: {current_count, next_marker?}, request_id}`.
    /// `instantOfID` reads a marker that is an item's id (as older docs describe it).
    func page<Item: PagedResource>(
        _ items: [Item], of list: PagedList, _ request: APIRequest, requestID: String,
        json: (Item) -> JSONValue, instantOfID: (String) -> Instant?
    ) -> APIResponse {
        let query = request.queryItems
        var limit = list.maximumLimit
        if let text = query["limit"] {
            guard let value = Int(text), (0...list.maximumLimit).contains(value) else {
                return invalidRequest(
                    "limit must be an integer from 0 to \(list.maximumLimit), got \"\(text)\"", requestID)
            }
            limit = value
        }
        var start = items.startIndex
        let total = items.count
        // The SDK documents an empty marker as "first page".
        if let marker = query["marker"], !marker.isEmpty {
            guard query["limit"] != nil else {
                return invalidRequest("marker must be sent together with limit", requestID)
            }
            guard let follows = itemsAfter(marker: marker, Item.self, instantOfID: instantOfID) else {
                return invalidRequest(
                    "marker \"\(marker)\" is neither a created_at, a next_marker nor the id of a \(list.noun)",
                    requestID)
            }
            start = Self.firstIndex(in: items, where: follows)
        }
        let page = Array(items[start...].prefix(limit))
        var pageInfo: [String: JSONValue] = ["current_count": .integer(Int64(page.count))]
        if limit > 0, page.count == limit, let last = page.last, let created = last.createdAt {
            let next =
                scenario.markerMode == .composite
                ? created + String(MarkerMode.compositeSeparator) + last.pagingID : created
            pageInfo["next_marker"] = .string(next)
        }
        let body: JSONValue = .object([
            list.member: .array(page.map(json)),
            "total_count": .integer(Int64(total)),
            "page_info": .object(pageInfo),
            "request_id": .string(requestID),
        ])
        return .json(200, body, requestID: requestID)
    }

    /// The first index of `items` whose item `follows` lets through, found by bisection: in list order
    /// (newest first, ties by id descending) every marker's test is false up to a point and true after it,
    /// so a page costs a few parsed `created_at` instead of one per item of the list.
    static func firstIndex<Item: PagedResource>(in items: [Item], where follows: (Item) -> Bool) -> Int {
        var low = items.startIndex
        var high = items.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if follows(items[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Which items a list marker lets through, or nil when the marker cannot be read.
    ///
    /// A composite marker (`created_at~id`, written by ``MarkerMode/composite``) is an exact position
    /// in list order in every mode. A plain `created_at` (or, as older docs describe it, the last item's
    /// id, standing for its `created_at`) is inclusive or exclusive as ``Scenario/markerMode`` says.
    func itemsAfter<Item: PagedResource>(
        marker: String, _: Item.Type, instantOfID: (String) -> Instant?
    ) -> (@Sendable (Item) -> Bool)? {
        let parts = marker.split(separator: MarkerMode.compositeSeparator, maxSplits: 1)
        if parts.count == 2 {
            guard let instant = (try? Timestamp(parsing: String(parts[0])))?.instant else { return nil }
            let id = String(parts[1])
            return { item in
                // createdInstant parses the item's created_at: once per item.
                let created = item.createdInstant
                return created < instant || (created == instant && item.pagingID < id)
            }
        }
        guard let instant = (try? Timestamp(parsing: marker))?.instant ?? instantOfID(marker) else { return nil }
        if scenario.markerMode == .exclusive { return { $0.createdInstant < instant } }
        return { $0.createdInstant <= instant }
    }

    /// The members that hold the list in a list answer.
    static let listMembers = [PagedList.customerGateways.member, PagedList.connections.member, "vpn_gateways"]

    /// `response` without the first `count` items of its list (``FaultKind/omittedListItems(count:)``):
    /// `page_info.current_count` counts what is left; `total_count` and `next_marker` stay as they were.
    /// Any other answer (an error, a single resource) is returned as it is.
    static func omitting(_ count: Int, from response: APIResponse) -> APIResponse {
        guard (200..<300).contains(response.status),
            case .object(let members)? = try? JSONValue(data: Data(response.body)),
            let member = listMembers.first(where: { members[$0]?.arrayValue != nil }),
            let items = members[member]?.arrayValue
        else { return response }
        var body = members
        let kept = Array(items.dropFirst(count))
        body[member] = .array(kept)
        if case .object(var info)? = body["page_info"] {
            info["current_count"] = .integer(Int64(kept.count))
            body["page_info"] = .object(info)
        }
        var changed = response
        changed.body = JSONValue.object(body).canonicalBytes
        return changed
    }

    /// `400 VPN.0001`.
    func invalidRequest(_ message: String, _ requestID: String) -> APIResponse {
        .error(400, code: "VPN.0001", message: "invalid request: \(message)", requestID: requestID)
    }

    /// `404 VPN.0004`, worded like the customer gateway's.
    func notFound(_ noun: String, _ id: String?, _ requestID: String) -> APIResponse {
        .error(404, code: "VPN.0004", message: "\(noun) \(id ?? "") not found", requestID: requestID)
    }
}
