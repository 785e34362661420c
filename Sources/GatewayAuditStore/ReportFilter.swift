import GatewayAuditCore

/// Which part of the history a read covers.
public struct ReportFilter: Sendable, Hashable {
    /// Only these gateways (all when empty).
    public var gatewayIDs: [GatewayID]
    /// Only what was observed at or after this instant.
    public var since: Instant?
    /// Only what was observed at or before this instant.
    public var until: Instant?
    /// Only resources of these kinds (all when empty).
    public var kinds: [ResourceKind]
    /// Only gateways of these scopes (`--account`, `--region`, `--project`).
    public var scopes = ScopeFilter()

    /// Creates a filter; the default covers everything.
    public init(
        gatewayIDs: [GatewayID] = [], since: Instant? = nil, until: Instant? = nil, kinds: [ResourceKind] = []
    ) {
        self.gatewayIDs = gatewayIDs
        self.since = since
        self.until = until
        self.kinds = kinds
    }
}
