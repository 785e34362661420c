import GatewayAuditCore
/// Every customer gateway of a project as far as the list could be followed: the gateways, each id
/// once, and whether the list is known to be complete.
public struct GatewayListing: Sendable, Hashable {
    /// The gateways listed, each id once, in list order (newest first).
    public let gateways: [CustomerGateway]
    /// Pages fetched, including pages asked for again with a larger `limit`.
    public let pages: Int
    /// The last page's `total_count`, when sent.
    public let totalCount: Int?
    /// Why the listing stopped before the end of the list (one line); nil when it reached the end.
    public let incompleteReason: String?

    /// True when the listing reached the end of the list.
    public var isComplete: Bool { incompleteReason == nil }
}

/// Every resource of one kind in a project as far as the list could be followed.
public struct ResourceListing: Sendable, Hashable {
    /// The resources listed, each id once, in list order (newest first).
    public let resources: [Resource]
    /// Pages fetched, including pages asked for again with a larger `limit`.
    public let pages: Int
    /// The last page's `total_count`, when sent.
    public let totalCount: Int?
    /// Why the listing stopped before the end of the list (one line); nil when it reached the end.
    public let incompleteReason: String?

    /// True when the listing reached the end of the list.
    public var isComplete: Bool { incompleteReason == nil }
}
