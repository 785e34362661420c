import GatewayAuditCore

/// One rule of a policy-mode connection (`policy_rules`, the SDK's `PolicyRule`).
public struct SimulatedPolicyRule: Sendable, Hashable, Codable {
    /// Rule index, from 1.
    public var ruleIndex: Int64
    /// Source CIDR (a local subnet).
    public var source: String
    /// Destination CIDRs (peer subnets).
    public var destination: [String]

    /// Creates a rule.
    public init(ruleIndex: Int64, source: String, destination: [String]) {
        self.ruleIndex = ruleIndex
        self.source = source
        self.destination = destination
    }

    /// The API's object.
    public var json: JSONValue {
        .object([
            "rule_index": .integer(ruleIndex), "source": .string(source),
            "destination": .array(destination.map(JSONValue.string)),
        ])
    }
}
