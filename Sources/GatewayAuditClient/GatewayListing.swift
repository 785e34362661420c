import GatewayAuditCore
/// Every customer gateway of a project as far as the list could be followed: the gateways, each id
/// once, and whether the list is known to be complete.
public struct GatewayListing: Sendable, Hashable {
    /// The gateways listed, each id once, in list order (newest first).
    public let gateways: [CustomerGateway]
    /// Pages fetched, including pages asked for again with a larger `limit`.
    public let pages: Int
    /// The latest `total_count` the list sent (the last page's, or an earlier page's when the last sent none).
    public let totalCount: Int?
    /// Why the listing is not known to be complete (one line): it stopped before the end of the list, or
    /// the list brought fewer than its `total_count`; nil when it reached the end with all it counts.
    public let incompleteReason: String?

    /// True when the listing reached the end of the list and brought as many as its `total_count` counts.
    public var isComplete: Bool { incompleteReason == nil }
}

/// Every resource of one kind in a project as far as the list could be followed.
public struct ResourceListing: Sendable, Hashable {
    /// The resources listed, each id once, in list order (newest first).
    public let resources: [Resource]
    /// Pages fetched, including pages asked for again with a larger `limit`.
    public let pages: Int
    /// The latest `total_count` the list sent (the last page's, or an earlier page's when the last sent none).
    public let totalCount: Int?
    /// Why the listing is not known to be complete (one line): it stopped before the end of the list, or
    /// the list brought fewer than its `total_count`; nil when it reached the end with all it counts.
    public let incompleteReason: String?

    /// True when the listing reached the end of the list and brought as many as its `total_count` counts.
    public var isComplete: Bool { incompleteReason == nil }
}
