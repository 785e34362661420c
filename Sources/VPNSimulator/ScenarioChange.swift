import GatewayAuditCore

/// What happens to a gateway in a scenario event.
///
/// In scenario JSON each case is an object with one member named after the case, e.g.
/// `{"rename": {"name": "branch-2"}}`, `{"addTags": {"tags": [{"key": "k", "value": "v"}]}}` or
/// `{"delete": {}}`; `vpn-simulator --dump-scenario` prints a complete example.
public enum ScenarioChange: Sendable, Hashable, Codable {
    /// A new gateway appears (its `createdAt`, when nil, is the event time).
    case create(gateway: SimulatedGateway)
    /// The name changes; `updated_at` advances.
    case rename(name: String)
    /// A new CA certificate (new serial and expiry) is bound; `updated_at` advances.
    case rotateCertificate(certificate: SimulatedCertificate)
    /// Tags are added (replacing the value of an existing key); `updated_at` does not move.
    case addTags(tags: [Tag])
    /// Tags with these keys are removed; `updated_at` does not move.
    case removeTags(keys: [String])
    /// The gateway is deleted: GET answers 404 `VPN.0004` from then on.
    case delete
    /// The gateway is deleted and created again under `newID` with the same `id_value`, at the event time.
    case recreate(newID: GatewayID)
    /// `updated_at` advances although nothing else changed.
    case touch
    /// Switches the field set (e.g. old-generation `route_mode`/`ip` appear).
    case setGeneration(generation: GatewayGeneration)
    /// Rewrites `created_at` and `updated_at` for the same instants in another precision/offset style,
    /// and uses that style from then on.
    case reformat(style: TimestampStyle)
    /// Keeps the wall-clock digits of `created_at` and `updated_at` but writes another designator
    /// (`+02:00` ↔ `Z`): the instants move by the offset difference.
    case relabel(designator: String)
    /// `created_at` moves by the given amount, written in its current form.
    case driftCreatedAt(seconds: Int64, nanoseconds: Int64)
    /// An extra member appears or changes (nil removes it); `updated_at` does not move.
    case setExtraField(key: String, value: JSONValue?)
}
