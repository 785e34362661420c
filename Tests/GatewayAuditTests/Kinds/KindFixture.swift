import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditStore

/// VPN gateways and connections shaped like the official SDK's models, for store and report tests.
enum KindFixture {
    static func vpnGateway(
        id: String = "vgw-1", name: String = "vgw-hq", status: String = "ACTIVE", certificate: String = "cert-1",
        subnets: [String] = ["192.168.0.0/24"], used: Int64 = 1, updated: String = "2025-02-01T10:00:00Z"
    ) throws -> Resource {
        try Resource(
            kind: .vpnGateway,
            json: .object([
                "id": .string(id), "name": .string(name), "status": .string(status), "attachment_type": "vpc",
                "network_type": "public", "ip_version": "ipv4", "vpc_id": "vpc-1",
                "local_subnets": .array(subnets.map(JSONValue.string)), "connect_subnet": "subnet-1",
                "bgp_asn": .integer(64512), "flavor": "Professional1",
                "availability_zone_ids": .array(["eu-de-01", "eu-de-02"]), "ha_mode": "active-active",
                "eip1": .object(["id": "eip-1", "ip_address": "80.158.0.1", "ip_version": .integer(4)]),
                "certificate_id": .string(certificate), "used_connection_number": .integer(used),
                "used_connection_group": .integer(used), "connection_number": .integer(200),
                "policy_template": .object([
                    "ike_policy": .object(["encryption_algorithm": "aes-256", "dh_group": "group14"]),
                    "ipsec_policy": .object(["encryption_algorithm": "aes-256", "pfs": "group14"]),
                ]),
                "created_at": "2025-01-10T08:00:00Z", "applied_at": "2025-01-10T08:05:00Z",
                "updated_at": .string(updated),
            ]))
    }

    static func connection(
        id: String = "vpnc-1", name: String = "tunnel-a", cgw: String = "gw-1", vgw: String = "vgw-1",
        status: String = "ACTIVE", encryption: String = "aes-128", peerSubnets: [String] = ["10.0.0.0/24"],
        bgpState: String = "Established", duration: String = "1h", routes: Int64 = 10, messages: Int64 = 100,
        updated: String = "2025-02-01 10:00:00", extra: [String: JSONValue] = [:]
    ) throws -> Resource {
        var members: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "status": .string(status), "vgw_id": .string(vgw),
            "vgw_ip": "80.158.0.1", "cgw_id": .string(cgw), "style": "bgp",
            "peer_subnets": .array(peerSubnets.map(JSONValue.string)), "tunnel_local_address": "169.254.56.225/30",
            "tunnel_peer_address": "169.254.56.226/30", "enable_nqa": .bool(false),
            "ikepolicy": .object([
                "ike_version": "v2", "encryption_algorithm": .string(encryption), "dh_group": "group14",
                "dpd": .object(["interval": .integer(30), "timeout": .integer(15), "msg": "seq-hash-notify"]),
            ]),
            "ipsecpolicy": .object(["encryption_algorithm": "aes-128", "pfs": "group14"]),
            "bgp_peer": .object([
                "peer_ip_address": "169.254.56.226", "peer_asn": .integer(65000), "state": .string(bgpState),
                "state_duration": .string(duration), "num_received_routes": .integer(routes),
                "num_message_received": .integer(messages), "num_message_sent": .integer(messages + 1),
            ]),
            "created_at": "2025-01-10 08:10:00", "updated_at": .string(updated),
        ]
        for (key, value) in extra { members[key] = value }
        return try Resource(kind: .vpnConnection, json: .object(members))
    }
}

extension StoreFixture {
    /// One complete run on night `n` recording present resources of any kind.
    @discardableResult
    func run(night n: Int, resources: [Resource]) async throws -> [ObservationOutcome] {
        try await run(night: n, resources.map { .present($0) }, ids: resources.map(\.id))
    }

    /// A count read with the sqlite3 shell from the fixture's file.
    func count(_ sql: String) throws -> Int {
        Int(try sqlite3(path, sql).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
