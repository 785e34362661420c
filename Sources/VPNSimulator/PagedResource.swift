import GatewayAuditCore

/// A resource listed with `limit`/`marker` paging: newest `created_at` first, ties by id (descending).
protocol PagedResource: Sendable {
    /// The id, as composite markers and tie-breaking use it.
    var pagingID: String { get }
    /// `created_at` as sent.
    var createdAt: String? { get }
    /// The parsed `created_at`.
    var createdInstant: Instant { get }
}

extension SimulatedGateway: PagedResource {
    var pagingID: String { id.rawValue }
}

extension SimulatedConnection: PagedResource {
    var pagingID: String { id }
}

extension PagedResource {
    /// List order: newest first, ties by id, descending.
    static func listOrder(_ a: Self, _ b: Self) -> Bool {
        let (x, y) = (a.createdInstant, b.createdInstant)
        return x != y ? x > y : a.pagingID > b.pagingID
    }
}
