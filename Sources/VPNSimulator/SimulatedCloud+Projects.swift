import GatewayAuditCore

extension SimulatedCloud {
    /// Sets the projects IAM's project list shows (every project a multi-project server serves).
    public func setProjectDirectory(_ projects: [SimulatedProject]) {
        projectDirectory = projects
    }

    /// `GET /v3/auth/projects`: every project of the directory, for an AK/SK signature of a known key
    /// or an account-level (domain-scoped) token.
    func listProjects(_ request: APIRequest, requestID: String) -> APIResponse {
        if let rejection = authenticateAccount(request, requestID: requestID) { return rejection }
        let projects =
            projectDirectory.isEmpty ? [SimulatedProject(id: projectID, name: scenario.projectName)] : projectDirectory
        let body: JSONValue = .object([
            "projects": .array(
                projects.map { project in
                    .object([
                        "id": .string(project.id), "name": .string(project.name), "enabled": .bool(true),
                        "domain_id": .string("simulated-domain"), "is_domain": .bool(false),
                    ])
                }),
            "links": .object(["self": .string("/v3/auth/projects")]),
        ])
        return .json(200, body, requestID: requestID)
    }

    /// A token for the user's domain: it may list projects, not call a project's API.
    func issueDomainToken(user: String, domain: String, requestID: String) -> APIResponse {
        let token = "MIIT" + idGenerator.hex(60)
        let issuedAt = tokenTime
        let expires = issuedAt.adding(seconds: credentials.tokenLifetimeSeconds)
        tokens[token] = IssuedToken(projectID: "", expiresAt: expires, requestsLeft: nil)
        let iamTime = TimestampStyle(fractionDigits: 6, designator: "Z")
        let response: JSONValue = .object([
            "token": .object([
                "expires_at": .string(iamTime.render(expires)), "issued_at": .string(iamTime.render(issuedAt)),
                "methods": .array([.string("password")]),
                "domain": .object(["name": .string(domain)]),
                "user": .object(["name": .string(user), "domain": .object(["name": .string(domain)])]),
            ])
        ])
        return .json(201, response, requestID: requestID, extraHeaders: [("X-Subject-Token", token)])
    }

    /// Checks a request made for the account rather than one project: a known AK/SK pair's signature,
    /// a fixed token, or a domain-scoped token this cloud issued.
    func authenticateAccount(_ request: APIRequest, requestID: String) -> APIResponse? {
        let rejected = APIResponse.iamError(
            401, title: "Unauthorized", message: "The request you have made requires authentication.",
            requestID: requestID)
        if let token = request.headers["x-auth-token"] {
            if credentials.fixedTokens.contains(token) { return nil }
            guard let issued = tokens[token], issued.projectID.isEmpty, issued.expiresAt > tokenTime else {
                return rejected
            }
            return nil
        }
        guard let header = request.headers["authorization"], let authorization = AKSKAuthorization(headerValue: header),
            let pair = credentials.keyPairs.first(where: { $0.accessKey == authorization.accessKey })
        else { return rejected }
        return verifySignature(request, authorization, pair, requestID: requestID)
    }
}
