import GatewayAuditCore

/// A record that an injected fault fired: which rule, on which route and gateway, on which night.
public struct FaultFiring: Sendable, Hashable {
    /// The rule's id, as returned by ``SimulatedCloud/addFault(_:)``.
    public let ruleID: Int
    /// The fault that fired.
    public let kind: FaultKind
    /// The route of the request.
    public let route: RouteKind
    /// The gateway the request named, if any.
    public let gateway: GatewayID?
    /// The night it happened.
    public let night: Int
}
