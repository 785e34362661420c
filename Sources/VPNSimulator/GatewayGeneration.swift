/// Which set of fields a simulated gateway is rendered with (API.md, "Two generations exist").
public enum GatewayGeneration: String, Sendable, Hashable, Codable, CaseIterable {
    /// From 2024: `name, id_type, id_value, bgp_asn, ca_certificate, tags, created_at, updated_at`.
    case current
    /// Before 2024: `name, route_mode, bgp_asn, ip, ca_certificate, created_at, updated_at`.
    case legacy
    /// OTC: both sets at once.
    case mixed
    /// The documented list entry with only `id, name, id_value, created_at, updated_at`.
    case minimal
}
