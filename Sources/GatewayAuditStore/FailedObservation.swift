import GatewayAuditCore

/// A failed observation: the run tried to fetch the gateway and could not.
public struct FailedObservation: Sendable, Hashable {
    /// The gateway.
    public let gatewayID: GatewayID
    /// The run.
    public let run: Int64
    /// When it was tried.
    public let observedAt: Instant
    /// Why it failed.
    public let error: String
    /// The kind of the resource.
    public var kind: ResourceKind = .customerGateway
}
