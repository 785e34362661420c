/// The simulator's API routes, named for fault targeting and logs.
public enum RouteKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// `GET /v5/{project_id}/customer-gateways`
    case listGateways
    /// `POST /v5/{project_id}/customer-gateways`
    case createGateway
    /// `GET /v5/{project_id}/customer-gateways/{id}`
    case getGateway
    /// `PUT /v5/{project_id}/customer-gateways/{id}`
    case updateGateway
    /// `DELETE /v5/{project_id}/customer-gateways/{id}`
    case deleteGateway
    /// `POST /v5/{project_id}/customer-gateway/{id}/tags/create`
    case createTags
    /// `POST /v5/{project_id}/customer-gateway/{id}/tags/delete`
    case deleteTags
    /// `POST /v3/auth/tokens`
    case issueToken
    /// `GET /v5/{project_id}/vpn-gateways`
    case listVPNGateways
    /// `GET /v5/{project_id}/vpn-gateways/{id}`
    case getVPNGateway
    /// `GET /v5/{project_id}/vpn-connection`
    case listConnections
    /// `GET /v5/{project_id}/vpn-connection/{id}`
    case getConnection
    /// `GET /v3/auth/projects` (or `/v3/projects`): IAM's list of the projects the credentials see
    case listProjects
}
