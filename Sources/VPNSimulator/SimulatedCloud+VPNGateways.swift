import GatewayAuditCore

extension SimulatedCloud {
    /// A VPN gateway that currently exists, or nil.
    public func vpnGateway(_ id: String) -> SimulatedVPNGateway? { vpnGateways[id] }

    /// The VPN gateways that currently exist, newest first (the list order).
    public var liveVPNGateways: [SimulatedVPNGateway] {
        vpnGateways.values.map { (instant: $0.createdInstant, gateway: $0) }
            .sorted { a, b in
                a.instant != b.instant ? a.instant > b.instant : a.gateway.id > b.gateway.id
            }
            .map(\.gateway)
    }

    /// The `vpn_gateway` object as served now (with its connection counts).
    public func vpnGatewayJSON(_ id: String) -> JSONValue? {
        vpnGateways[id].map { vpnGatewayJSON($0, usage: connectionUsage()) }
    }

    /// `GET /v5/{project_id}/vpn-gateways`: every gateway in one answer (no paging, no `total_count`);
    /// filters `vgw_id` and `enterprise_project_id`.
    func listVPNGateways(_ request: APIRequest, requestID: String) -> APIResponse {
        let query = request.queryItems
        var items = liveVPNGateways
        if let id = query["vgw_id"], !id.isEmpty { items = items.filter { $0.id == id } }
        if let project = query["enterprise_project_id"], !project.isEmpty, project != "0", project != "all_granted_eps"
        {
            items = []
        }
        let usage = connectionUsage()
        let body: JSONValue = .object([
            "vpn_gateways": .array(items.map { vpnGatewayJSON($0, usage: usage) }),
            "request_id": .string(requestID),
        ])
        return .json(200, body, requestID: requestID)
    }

    /// `GET /v5/{project_id}/vpn-gateways/{id}`.
    func getVPNGateway(_ request: APIRequest, requestID: String) -> APIResponse {
        let id = request.gatewayID?.rawValue
        guard let gateway = id.flatMap({ vpnGateways[$0] }) else { return notFound("VPN gateway", id, requestID) }
        let body: JSONValue = .object([
            "vpn_gateway": vpnGatewayJSON(gateway, usage: connectionUsage()), "request_id": .string(requestID),
        ])
        return .json(200, body, requestID: requestID)
    }

    /// Per VPN gateway id: live connections and distinct customer gateways among them (connection groups).
    func connectionUsage() -> [String: (connections: Int, groups: Set<String>)] {
        var usage: [String: (connections: Int, groups: Set<String>)] = [:]
        for connection in connections.values {
            usage[connection.vgwID, default: (0, [])].connections += 1
            usage[connection.vgwID, default: (0, [])].groups.insert(connection.cgwID)
        }
        return usage
    }

    private func vpnGatewayJSON(
        _ gateway: SimulatedVPNGateway, usage: [String: (connections: Int, groups: Set<String>)]
    ) -> JSONValue {
        let used = usage[gateway.id]
        return gateway.json(usedConnections: used?.connections ?? 0, usedGroups: used?.groups.count ?? 0)
    }
}
