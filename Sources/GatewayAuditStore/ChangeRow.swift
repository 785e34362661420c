import GatewayAuditCore

/// One field change or gateway event, with the window in which it happened.
public struct ChangeRow: Sendable, Hashable {
    /// The gateway.
    public let gatewayID: GatewayID
    /// The snapshot that holds the new state.
    public let seq: Int64
    /// What happened.
    public let change: ChangeKind
    /// The flattened field path; empty for gateway events.
    public let field: String
    /// Value before; for `first-seen`, the id of a gone gateway with the same `id_value` this one recreates.
    public let oldValue: String?
    /// Value after.
    public let newValue: String?
    /// The last observation that saw the old state (nil for first-seen).
    public let lastSeenBefore: Instant?
    /// The run of `lastSeenBefore`.
    public let lastRunBefore: Int64?
    /// The first observation that saw the new state.
    public let firstSeenAfter: Instant
    /// The run of `firstSeenAfter`.
    public let firstRunAfter: Int64
    /// The new snapshot's `updated_at` as sent (nil for tombstones or when absent).
    public let apiUpdatedAt: String?
    /// `apiUpdatedAt` parsed once, when the row is read (nil when absent or not a timestamp).
    public let apiUpdatedAtTimestamp: Timestamp?
    /// The kind of the resource.
    public let kind: ResourceKind
    /// The account, cloud, region and project of the gateway.
    public let scope: ScopeKey

    init(
        gatewayID: GatewayID, seq: Int64, change: ChangeKind, field: String, oldValue: String?, newValue: String?,
        lastSeenBefore: Instant?, lastRunBefore: Int64?, firstSeenAfter: Instant, firstRunAfter: Int64,
        apiUpdatedAt: String?, kind: ResourceKind = .customerGateway, scope: ScopeKey = ScopeKey(projectID: ""),
        parsing timestamps: inout LastTimestamp
    ) {
        self.kind = kind
        self.scope = scope
        self.gatewayID = gatewayID
        self.seq = seq
        self.change = change
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.lastSeenBefore = lastSeenBefore
        self.lastRunBefore = lastRunBefore
        self.firstSeenAfter = firstSeenAfter
        self.firstRunAfter = firstRunAfter
        self.apiUpdatedAt = apiUpdatedAt
        apiUpdatedAtTimestamp = timestamps.parse(apiUpdatedAt)
    }
}

/// The last API timestamp text parsed while streaming rows, and what it parsed to: rows come ordered
/// by time, so neighbours often carry the same text.
struct LastTimestamp {
    private var raw: String?
    private var parsed: Timestamp?

    mutating func parse(_ text: String?) -> Timestamp? {
        guard let text else { return nil }
        if text != raw {
            raw = text
            parsed = Timestamp.parsedIfValid(text)
        }
        return parsed
    }
}
