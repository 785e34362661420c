import GatewayAudit

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

/// A fault rule with its counters and its own random sequence.
struct FaultState: Sendable {
    let rule: FaultRule
    var generator: SeededGenerator
    var matched = 0
    var fired = 0

    init(rule: FaultRule, generator: SeededGenerator) {
        self.rule = rule
        self.generator = generator
    }
}
