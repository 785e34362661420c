import Hummingbird

extension SimulatorServer {
    /// The VPN gateway and VPN connection reads; `{id}` lands in ``APIRequest/gatewayID`` so fault rules can
    /// name one resource of any kind.
    func addVPNRoutes(to router: Router<SimulatorRequestContext>) {
        let vgws = "/v5/:project_id/vpn-gateways"
        let connections = "/v5/:project_id/vpn-connection"
        router.get(RouterPath(vgws)) { request, context in try await handle(.listVPNGateways, request, context) }
        router.get(RouterPath(vgws + "/:gateway_id")) { request, context in
            try await handle(.getVPNGateway, request, context)
        }
        router.get(RouterPath(connections)) { request, context in try await handle(.listConnections, request, context) }
        router.get(RouterPath(connections + "/:gateway_id")) { request, context in
            try await handle(.getConnection, request, context)
        }
    }
}
