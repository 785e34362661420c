/// One scheduled change to a VPN gateway or connection: on night `night` (between run `night - 1` and
/// run `night`, one hour after the customer-gateway events of that night), `change` happens to `resource`.
public struct VPNScenarioEvent: Sendable, Hashable, Codable {
    /// The night, from 1.
    public var night: Int
    /// The VPN gateway's or connection's id (for a create, the new resource's id).
    public var resource: String
    /// What happens.
    public var change: VPNScenarioChange
    /// A note for people reading the scenario.
    public var note: String?

    /// Creates an event.
    public init(night: Int, resource: String, change: VPNScenarioChange, note: String? = nil) {
        self.night = night
        self.resource = resource
        self.change = change
        self.note = note
    }
}
