import GatewayAuditCore

/// One scheduled change: on night `night` (between run `night - 1` and run `night`), `change` happens
/// to the gateway `gateway`.
public struct ScenarioEvent: Sendable, Hashable, Codable {
    /// The night, from 1.
    public var night: Int
    /// The gateway concerned (for `create`, the new gateway's id).
    public var gateway: GatewayID
    /// What happens.
    public var change: ScenarioChange
    /// A note for people reading the scenario.
    public var note: String?

    /// Creates an event.
    public init(night: Int, gateway: GatewayID, change: ScenarioChange, note: String? = nil) {
        self.night = night
        self.gateway = gateway
        self.change = change
        self.note = note
    }
}
