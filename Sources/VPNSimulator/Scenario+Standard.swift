import GatewayAuditCore

extension Scenario {
    /// The id of gateway `n` of the built-in scenario: `5f0c1a8e-3b2d-4c71-9e0a-0000000000nn`.
    public static func standardGatewayID(_ n: Int) -> GatewayID {
        let digits = String(n)
        return GatewayID("5f0c1a8e-3b2d-4c71-9e0a-" + String(repeating: "0", count: 12 - digits.count) + digits)
    }

    /// The built-in scenario: 13 gateways at night 0, 30 nights, seed 20250301, no faults.
    ///
    /// Gateways 11, 12 and 13 share one `created_at` instant, written three ways, so list pages straddle
    /// them; 13 is sent in the minimal form (`id, name, id_value, created_at, updated_at`), 5 in the
    /// legacy generation, 8 is named `<script>alert(1)</script>` and 9 `=HYPERLINK("http://x")`.
    ///
    /// Night 0's run is at 2025-03-01T02:00:00Z; night `n`'s changes happen at 14:00Z the day before run
    /// `n` (ten minutes apart). Gateway `n` below is ``standardGatewayID(_:)`` `n`.
    ///
    /// | night | gateway | change |
    /// |---|---|---|
    /// | 2 | 14 `new-hamburg` | created |
    /// | 3 | 2 | renamed `branch-munich` → `branch-munich-2` |
    /// | 4 | 1 | timestamps relabelled `+02:00` → `Z` (same digits, instants move 2 h later) |
    /// | 5 | 4 | tag `cost-center=4711` added |
    /// | 6 | 15 `otc-mixed-rome` | created (OTC mixed generation, extra field) |
    /// | 7 | 3 | certificate rotated (serial, expiry) |
    /// | 8 | 6 | deleted |
    /// | 9 | 4 | tag `team` removed |
    /// | 10 | 5 | legacy gateway starts being sent in the mixed generation (`id_type`, `id_value`, `tags` appear) |
    /// | 11 | 10 | `created_at` drifts by −1 s |
    /// | 12 | 7 | deleted and recreated as 71 with the same `id_value` |
    /// | 14 | 4 | tag `team=secops` added |
    /// | 15 | 8 | `updated_at` advances, nothing else changes |
    /// | 17 | 2 | renamed → `branch-muenchen` |
    /// | 19 | 9 | timestamps rewritten from `…41.000000` (no offset) to `…41.000Z` |
    /// | 20 | 11 | extra member `enterprise_project_id` appears |
    /// | 21 | 3 | certificate rotated again |
    /// | 23 | 10 | `created_at` drifts by +123 µs |
    /// | 25 | 8 | `updated_at` advances again |
    /// | 28 | 1 | renamed → `hq-frankfurt-main` |
    /// | 30 | 1 | certificate rotated |
    ///
    /// VPN gateways (``standardVPNGatewayID(_:)``) and connections (``standardConnectionID(_:)``), linked
    /// to the gateways above; their events happen at 15:00Z the day before the run:
    ///
    /// | connection | name | cgw | vgw (EIP) | style | DOWN on nights |
    /// |---|---|---|---|---|---|
    /// | 1 | `hq-frankfurt-bgp-1` | 1 | 1 (eip1) | BGP | |
    /// | 2 | `hq-frankfurt-bgp-2` (same `created_at` as 1) | 1 | 1 (eip2) | BGP | 7, 8, 22 |
    /// | 3 | `munich-policy` | 2 | 1 (eip1) | POLICY | |
    /// | 4 | `amsterdam-static` | 3 | 2 (eip1) | STATIC | |
    /// | 5 | `berlin-lab-static` (NQA) | 4 | 3 (eip1) | STATIC | |
    /// | 6 | `oslo-bgp` | 10 | 2 (eip2) | BGP | 3, 11, 12, 20 |
    /// | 7 | `paris-legacy` | 5 | 3 (eip2) | STATIC | |
    ///
    /// | night | resource | change (`updated_at` moves) |
    /// |---|---|---|
    /// | 4 | connection 4 | `ikepolicy.encryption_algorithm` `aes-128` → `aes-256` |
    /// | 9 | connection 5 | `peer_subnets` gains `10.99.1.0/24` |
    /// | 10 | VPN gateway 2 | `certificate_id` `vgw-cert-0001` → `vgw-cert-0002` |
    /// | 13 | connection 7 | deleted |
    /// | 16 | connection 8 | created: `paris-legacy` again, cgw 5, VPN gateway 3 |
    /// | 18 | VPN gateway 1 | `local_subnets` gains `10.11.0.0/16` |
    /// | 24 | connection 3 | `ipsecpolicy.pfs` `group15` → `group20` |
    ///
    /// Every night, and only that on nights without an event: BGP `state_duration`, `num_message_*` and
    /// `num_received_routes` move, `status` (and `bgp_peer.state`) follow the DOWN nights, and each VPN
    /// gateway's `used_connection_number`/`used_connection_group` count its live connections.
    public static var standard: Scenario {
        Scenario(
            name: "standard", seed: 20_250_301, projectID: "0b5c1e2f9a3d4e6f8a7b6c5d4e3f2a1b",
            projectName: "eu-de_audit",
            start: "2025-03-01T02:00:00Z", nights: 30, gateways: standardGateways, events: standardEvents,
            vpnGateways: standardVPNGateways, connections: standardConnections, vpnEvents: standardVPNEvents)
    }

    private static func certificate(_ serial: String, expires: String, subject: String) -> SimulatedCertificate {
        SimulatedCertificate(
            id: "cert-" + serial.lowercased(), serialNumber: serial, subject: subject, expireTime: expires)
    }

    private static var standardGateways: [SimulatedGateway] {
        let g = standardGatewayID
        let tieStamp = TimestampStyle.milliseconds
        return [
            SimulatedGateway(
                id: g(1), name: "hq-frankfurt", idValue: "203.0.113.10", bgpASN: 65010,
                certificate: certificate("1A2B3C4D01", expires: "2026-06-25T13:19:37Z", subject: "CN=hq-frankfurt"),
                tags: [Tag(key: "env", value: "prod")], createdAt: "2024-06-25T13:19:37.335+02:00",
                style: TimestampStyle(fractionDigits: 3, designator: "+02:00")),
            SimulatedGateway(
                id: g(2), name: "branch-munich", idValue: "203.0.113.20", tags: [Tag(key: "env", value: "prod")],
                createdAt: "2024-11-02T08:15:00.120Z"),
            SimulatedGateway(
                id: g(3), name: "dc-amsterdam", idValue: "198.51.100.7", bgpASN: 65020,
                certificate: certificate("0F00BA4001", expires: "2025-03-20T00:00:00Z", subject: "CN=dc-amsterdam"),
                createdAt: "2024-03-14T09:26:53.589793238Z", style: TimestampStyle(fractionDigits: 9, designator: "Z")),
            SimulatedGateway(
                id: g(4), name: "lab-berlin", idType: "fqdn", idValue: "vpn.lab.example.com",
                tags: [Tag(key: "team", value: "net")], createdAt: "2025-01-10T10:00:00Z",
                style: TimestampStyle(fractionDigits: 0, designator: "Z")),
            SimulatedGateway(
                id: g(5), name: "legacy-paris", idValue: "192.0.2.55", createdAt: "2021-12-21T16:49:28Z",
                generation: .legacy, style: TimestampStyle(fractionDigits: 0, designator: "Z")),
            SimulatedGateway(
                id: g(6), name: "temp-test-cgw", idValue: "192.0.2.99", createdAt: "2025-02-20T07:30:00.5Z",
                style: TimestampStyle(fractionDigits: 1, designator: "Z")),
            SimulatedGateway(
                id: g(7), name: "edge-vienna", idValue: "198.51.100.30", bgpASN: 65030,
                createdAt: "2024-09-09T12:00:00.000Z", updatedAt: "2025-01-15T08:00:00.000Z"),
            SimulatedGateway(
                id: g(8), name: "<script>alert(1)</script>", idValue: "203.0.113.66",
                createdAt: "2025-01-05T05:05:05.05Z", style: TimestampStyle(fractionDigits: 2, designator: "Z")),
            SimulatedGateway(
                id: g(9), name: "=HYPERLINK(\"http://x\")", idValue: "203.0.113.77",
                createdAt: "2024-05-21T09:03:41.000000", style: TimestampStyle(fractionDigits: 6, designator: "")),
            SimulatedGateway(
                id: g(10), name: "drift-oslo", idValue: "198.51.100.40", createdAt: "2024-08-13T02:38:05.09035Z",
                style: TimestampStyle(fractionDigits: 5, designator: "Z")),
            // Three gateways created at the same instant (written three ways), so list pages straddle them.
            SimulatedGateway(
                id: g(11), name: "tie-a", idValue: "192.0.2.11", createdAt: "2025-02-01T00:00:00.000Z", style: tieStamp),
            SimulatedGateway(
                id: g(12), name: "tie-b", idValue: "192.0.2.12", createdAt: "2025-02-01T01:00:00.000+01:00",
                style: TimestampStyle(fractionDigits: 3, designator: "+01:00")),
            SimulatedGateway(
                id: g(13), name: "tie-c", idValue: "192.0.2.13", createdAt: "2025-02-01T00:00:00Z",
                generation: .minimal, style: TimestampStyle(fractionDigits: 0, designator: "Z")),
        ]
    }

    private static var standardEvents: [ScenarioEvent] {
        let g = standardGatewayID
        return [
            ScenarioEvent(
                night: 2, gateway: g(14),
                change: .create(
                    gateway: SimulatedGateway(
                        id: g(14), name: "new-hamburg", idValue: "203.0.113.88", bgpASN: 65040,
                        tags: [Tag(key: "env", value: "staging")])), note: "created between run 1 and run 2"),
            ScenarioEvent(night: 3, gateway: g(2), change: .rename(name: "branch-munich-2")),
            ScenarioEvent(
                night: 4, gateway: g(1), change: .relabel(designator: "Z"),
                note: "same wall-clock digits, +02:00 becomes Z: the instants move 2 h later"),
            ScenarioEvent(night: 5, gateway: g(4), change: .addTags(tags: [Tag(key: "cost-center", value: "4711")])),
            ScenarioEvent(
                night: 6, gateway: g(15),
                change: .create(
                    gateway: SimulatedGateway(
                        id: g(15), name: "otc-mixed-rome", idValue: "198.51.100.50", bgpASN: 65050, generation: .mixed,
                        style: TimestampStyle(fractionDigits: 3, designator: "+08:00"),
                        extraFields: ["vendor_hint": .string("otc")]))),
            ScenarioEvent(
                night: 7, gateway: g(3),
                change: .rotateCertificate(
                    certificate: certificate("0F00BA4002", expires: "2026-03-20T00:00:00Z", subject: "CN=dc-amsterdam"))
            ),
            ScenarioEvent(night: 8, gateway: g(6), change: .delete),
            ScenarioEvent(night: 9, gateway: g(4), change: .removeTags(keys: ["team"])),
            ScenarioEvent(
                night: 10, gateway: g(5), change: .setGeneration(generation: .mixed),
                note: "old-generation gateway starts being sent with both field sets"),
            ScenarioEvent(night: 11, gateway: g(10), change: .driftCreatedAt(seconds: -1, nanoseconds: 0)),
            ScenarioEvent(
                night: 12, gateway: g(7), change: .recreate(newID: g(71)),
                note: "deleted and created again with the same id_value"),
            ScenarioEvent(night: 14, gateway: g(4), change: .addTags(tags: [Tag(key: "team", value: "secops")])),
            ScenarioEvent(night: 15, gateway: g(8), change: .touch, note: "updated_at moves, nothing else"),
            ScenarioEvent(night: 17, gateway: g(2), change: .rename(name: "branch-muenchen")),
            ScenarioEvent(
                night: 19, gateway: g(9), change: .reformat(style: .milliseconds),
                note: "same instant, written with 3 digits and Z instead of 6 digits and no offset"),
            ScenarioEvent(
                night: 20, gateway: g(11), change: .setExtraField(key: "enterprise_project_id", value: .string("0"))),
            ScenarioEvent(
                night: 21, gateway: g(3),
                change: .rotateCertificate(
                    certificate: certificate("0F00BA4003", expires: "2027-03-20T00:00:00Z", subject: "CN=dc-amsterdam"))
            ),
            ScenarioEvent(night: 23, gateway: g(10), change: .driftCreatedAt(seconds: 0, nanoseconds: 123_000)),
            ScenarioEvent(night: 25, gateway: g(8), change: .touch),
            ScenarioEvent(night: 28, gateway: g(1), change: .rename(name: "hq-frankfurt-main")),
            ScenarioEvent(
                night: 30, gateway: g(1),
                change: .rotateCertificate(
                    certificate: certificate("1A2B3C4D02", expires: "2027-06-25T13:19:37Z", subject: "CN=hq-frankfurt"))
            ),
        ]
    }
}
