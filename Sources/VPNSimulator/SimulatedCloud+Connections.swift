import GatewayAuditCore

extension SimulatedCloud {
    /// A connection that currently exists, or nil.
    public func connection(_ id: String) -> SimulatedConnection? { connections[id] }

    /// The connections that currently exist, newest first (the list order).
    public var liveConnections: [SimulatedConnection] {
        if let order = connectionListOrder { return order }
        let order = connections.values.inListOrder()
        connectionListOrder = order
        return order
    }

    /// The `vpn_connection` object as served now.
    public func connectionJSON(_ id: String) -> JSONValue? {
        connections[id].map { $0.json(night: night, runTime: runTime(ofNight: night)) }
    }

    /// `GET /v5/{project_id}/vpn-connection`: `limit`/`marker` paging like the customer gateways (limit 0
    /// to 200, default 200); filters `vgw_id`, `vgw_ip`, `vpn_id` (a connection id) and `enterprise_project_id`.
    func listConnections(_ request: APIRequest, requestID: String) -> APIResponse {
        let query = request.queryItems
        var items = liveConnections
        let filters: [(String, KeyPath<SimulatedConnection, String>)] = [
            ("vgw_id", \.vgwID), ("vgw_ip", \.vgwIP), ("vpn_id", \.id),
        ]
        for (name, value) in filters {
            if let wanted = query[name], !wanted.isEmpty { items = items.filter { $0[keyPath: value] == wanted } }
        }
        if let project = query["enterprise_project_id"], !project.isEmpty, project != "0", project != "all_granted_eps"
        {
            items = []
        }
        let tonight = night
        let at = runTime(ofNight: tonight)
        return page(
            items, of: .connections, request, requestID: requestID, json: { $0.json(night: tonight, runTime: at) }
        ) {
            self.connections[$0]?.createdInstant
        }
    }

    /// `GET /v5/{project_id}/vpn-connection/{id}`.
    func getConnection(_ request: APIRequest, requestID: String) -> APIResponse {
        let id = request.gatewayID?.rawValue
        guard let connection = id.flatMap({ connections[$0] }) else {
            return notFound("VPN connection", id, requestID)
        }
        let body: JSONValue = .object([
            "vpn_connection": connection.json(night: night, runTime: runTime(ofNight: night)),
            "request_id": .string(requestID),
        ])
        return .json(200, body, requestID: requestID)
    }
}
