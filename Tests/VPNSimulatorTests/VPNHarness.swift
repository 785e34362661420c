import Foundation
import GatewayAudit
import Testing
import VPNSimulator

/// VPN gateway and connection reads over HTTP, for the VPN tests.
extension SimulatorHarness {
    func vpnGatewaysPath(_ suffix: String = "") -> String { "/v5/\(project)/vpn-gateways" + suffix }
    func connectionsPath(_ suffix: String = "") -> String { "/v5/\(project)/vpn-connection" + suffix }

    /// Every VPN gateway, by id, from one list request.
    func vpnGateways() async throws -> [String: JSONValue] {
        let answer = try await send(.GET, vpnGatewaysPath())
        try #require(answer.status == 200, "\(answer.errorMessage ?? "")")
        return VPNJSON.byID(try #require(answer.json?["vpn_gateways"]?.arrayValue))
    }

    /// Every connection, by id, from one list request with the largest limit (200).
    func connections() async throws -> [String: JSONValue] {
        let answer = try await send(.GET, connectionsPath("?limit=200"))
        try #require(answer.status == 200, "\(answer.errorMessage ?? "")")
        return VPNJSON.byID(try #require(answer.json?["vpn_connections"]?.arrayValue))
    }
}

/// JSON helpers for the VPN tests.
enum VPNJSON {
    static func byID(_ items: [JSONValue]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for item in items { if let id = item["id"]?.stringValue { result[id] = item } }
        return result
    }

    static func keys(_ value: JSONValue?) -> Set<String> { Set(value?.objectValue?.keys.map { $0 } ?? []) }

    /// The object without its operational members (issue 14's list): what a configuration snapshot holds.
    static func configuration(_ value: JSONValue) -> JSONValue {
        guard var members = value.objectValue else { return value }
        for key in ["status", "used_connection_number", "used_connection_group", "upgrade_info"] {
            members[key] = nil
        }
        if var peer = members["bgp_peer"]?.objectValue {
            for key in ["state", "state_duration", "num_received_routes", "num_message_received", "num_message_sent"] {
                peer[key] = nil
            }
            members["bgp_peer"] = .object(peer)
        }
        return .object(members)
    }

    static let vpnGatewayFields: Set<String> = [
        "id", "name", "status", "attachment_type", "ip_version", "vpc_id", "local_subnets", "connect_subnet",
        "network_type", "access_vpc_id", "access_subnet_id", "bgp_asn", "flavor", "availability_zone_ids",
        "public_border_group", "connection_number", "used_connection_number", "used_connection_group",
        "enterprise_project_id", "ha_mode", "eip1", "eip2", "created_at", "applied_at", "updated_at",
        "policy_template", "supported_flavors", "supported_features", "tags",
    ]
    static let eipFields: Set<String> = [
        "id", "ip_version", "ip_billing_info", "type", "ip_address", "charge_mode", "bandwidth_id", "bandwidth_size",
        "bandwidth_name", "bandwidth_billing_info", "share_type",
    ]
    static let connectionFields: Set<String> = [
        "id", "name", "status", "vgw_id", "vgw_ip", "style", "cgw_id", "peer_subnets", "enable_nqa", "enable_hub",
        "ikepolicy", "ipsecpolicy", "created_at", "updated_at", "enterprise_project_id", "ha_role", "tags",
    ]
    static let ikeFields: Set<String> = [
        "ike_version", "phase1_negotiation_mode", "authentication_algorithm", "encryption_algorithm", "dh_group",
        "authentication_method", "lifetime_seconds", "local_id_type", "local_id", "peer_id_type", "peer_id", "dpd",
    ]
    static let ipsecFields: Set<String> = [
        "authentication_algorithm", "encryption_algorithm", "pfs", "transform_protocol", "lifetime_seconds",
        "encapsulation_mode",
    ]
    static let bgpPeerFields: Set<String> = [
        "peer_ip_address", "peer_asn", "state", "state_duration", "num_received_routes", "num_message_received",
        "num_message_sent",
    ]
}
