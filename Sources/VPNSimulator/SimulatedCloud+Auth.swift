import GatewayAuditCore

extension SimulatedCloud {
    /// Failures after which an access key is locked, and for how long (API.md: "more than 5", "5 minutes").
    static let lockAfterFailures = 5
    static let lockSeconds: Int64 = 300

    /// `POST /v3/auth/tokens`: password identity, project scope by id or name.
    func issueToken(_ request: APIRequest, requestID: String) -> APIResponse {
        tokenRequests += 1
        guard let body = try? JSONValue(data: .init(request.body)), let auth = body["auth"] else {
            return .iamError(
                400, title: "Bad Request", message: "The request body is not an IAM auth request", requestID: requestID)
        }
        let methods = auth["identity"]?["methods"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let user = auth["identity"]?["password"]?["user"]
        guard methods.contains("password"), let name = user?["name"]?.stringValue,
            let password = user?["password"]?.stringValue, let domain = user?["domain"]?["name"]?.stringValue
        else {
            return .iamError(
                400, title: "Bad Request",
                message: "Expected a password identity with user name, password and domain name", requestID: requestID)
        }
        guard credentials.users.contains(where: { $0.name == name && $0.password == password && $0.domain == domain })
        else {
            return .iamError(
                401, title: "Unauthorized", message: "The username or password is wrong.", requestID: requestID)
        }
        if let domainScope = auth["scope"]?["domain"] {
            guard domainScope["name"]?.stringValue == domain || domainScope["id"]?.stringValue == domain else {
                return .iamError(
                    401, title: "Unauthorized", message: "The domain in scope is not the user's", requestID: requestID)
            }
            return issueDomainToken(user: name, domain: domain, requestID: requestID)
        }
        let project = auth["scope"]?["project"]
        let scoped = project?["id"]?.stringValue == projectID || project?["name"]?.stringValue == scenario.projectName
        guard scoped else {
            return .iamError(
                401, title: "Unauthorized",
                message: "The project in scope does not exist or the user has no role in it", requestID: requestID)
        }
        let token = "MIIT" + idGenerator.hex(60)
        let issuedAt = tokenTime
        let expires = issuedAt.adding(seconds: credentials.tokenLifetimeSeconds)
        tokens[token] = IssuedToken(
            projectID: projectID, expiresAt: expires, requestsLeft: credentials.tokenLifetimeRequests)
        let iamTime = TimestampStyle(fractionDigits: 6, designator: "Z")
        let response: JSONValue = .object([
            "token": .object([
                "expires_at": .string(iamTime.render(expires)),
                "issued_at": .string(iamTime.render(issuedAt)),
                "methods": .array([.string("password")]),
                "project": .object(["id": .string(projectID), "name": .string(scenario.projectName)]),
                "user": .object(["name": .string(name), "domain": .object(["name": .string(domain)])]),
            ])
        ])
        return .json(201, response, requestID: requestID, extraHeaders: [("X-Subject-Token", token)])
    }

    /// Checks `X-Auth-Token` or the AK/SK signature; returns the rejection response, or nil when accepted.
    func authenticate(_ request: APIRequest, requestID: String) -> APIResponse? {
        func gateway(_ detail: String) -> APIResponse {
            .error(
                401, code: "APIGW.0301", message: "Incorrect IAM authentication information: \(detail)",
                requestID: requestID)
        }
        let forbidden = APIResponse.error(
            403, code: "VPN.0003", message: "Not authorised for project \(request.projectID ?? "")",
            requestID: requestID)

        if let token = request.headers["x-auth-token"] {
            if credentials.fixedTokens.contains(token) {
                return request.projectID == projectID ? nil : forbidden
            }
            guard var issued = tokens[token] else { return gateway("verify token fail") }
            if let left = issued.requestsLeft {
                guard left > 0 else {
                    return .error(
                        401, code: "VPN.0010",
                        message:
                            "The token expired after \(credentials.tokenLifetimeRequests ?? 0) requests; request a new token",
                        requestID: requestID)
                }
                issued.requestsLeft = left - 1
                tokens[token] = issued
            }
            guard issued.expiresAt > tokenTime else {
                return .error(
                    401, code: "VPN.0010",
                    message:
                        "The token expired at \(TimestampStyle.milliseconds.render(issued.expiresAt)); request a new token",
                    requestID: requestID)
            }
            return request.projectID == issued.projectID ? nil : forbidden
        }

        guard let header = request.headers["authorization"] else { return gateway("Authorization not found") }
        guard let authorization = AKSKAuthorization(headerValue: header) else {
            return gateway("Authorization is not an SDK-HMAC-SHA256 signature")
        }
        guard let pair = credentials.keyPairs.first(where: { $0.accessKey == authorization.accessKey }) else {
            return gateway("ak \(authorization.accessKey) not found")
        }
        if let until = keyFailures[pair.accessKey]?.lockedUntil, until > now {
            return gateway(
                "access key \(pair.accessKey) is locked until \(TimestampStyle(fractionDigits: 0).render(until))"
                    + " after more than \(SimulatedCloud.lockAfterFailures) consecutive authentication failures")
        }
        if let rejection = verifySignature(request, authorization, pair, requestID: requestID) {
            var failures = keyFailures[pair.accessKey] ?? KeyFailures()
            failures.consecutive += 1
            if failures.consecutive > SimulatedCloud.lockAfterFailures {
                failures = KeyFailures(consecutive: 0, lockedUntil: now.adding(seconds: SimulatedCloud.lockSeconds))
            }
            keyFailures[pair.accessKey] = failures
            return rejection
        }
        keyFailures[pair.accessKey] = nil
        if let headerProject = request.headers["x-project-id"], headerProject != request.projectID {
            return .error(
                403, code: "VPN.0007", message: "X-Project-Id \(headerProject) does not match the project in the path",
                requestID: requestID)
        }
        return request.projectID == projectID ? nil : forbidden
    }

    /// The clock IAM tokens are issued, dated and expired by: the one `X-Sdk-Date` is compared with, so a
    /// client on the wall clock (`vpn-simulator` run by hand) sees a token valid for its lifetime rather
    /// than one that expired on a virtual night long ago (it logged in again on every request).
    var tokenTime: Instant {
        credentials.sdkDateClock == .wall ? .now : now
    }

    /// Checks date, skew, security token and signature of an AK/SK request from a known key pair.
    func verifySignature(
        _ request: APIRequest, _ authorization: AKSKAuthorization, _ pair: SimulatorCredentials.KeyPair,
        requestID: String
    ) -> APIResponse? {
        func gateway(_ detail: String) -> APIResponse {
            .error(
                401, code: "APIGW.0301", message: "Incorrect IAM authentication information: \(detail)",
                requestID: requestID)
        }
        guard let sdkDate = request.headers["x-sdk-date"], let signedAt = AKSKSigner.instant(sdkDate: sdkDate),
            authorization.signedHeaders.contains("x-sdk-date")
        else { return gateway("X-Sdk-Date is missing, unsigned or not yyyyMMddTHHmmssZ") }
        let reference: Instant?
        switch credentials.sdkDateClock {
        case .virtual: reference = now
        case .wall: reference = .now
        case .off: reference = nil
        }
        if let reference, abs(signedAt.seconds - reference.seconds) > AKSKSigner.allowedSkewSeconds {
            return gateway("request time skew is too large, X-Sdk-Date \(sdkDate) is more than 15 minutes off")
        }
        if let expected = pair.securityToken, request.headers["x-security-token"] != expected {
            return gateway("X-Security-Token is missing or invalid for temporary credentials")
        }
        let canonical = AKSKCanonicalRequest(
            method: request.method, path: request.path, query: request.query, headers: request.headers,
            signedHeaders: authorization.signedHeaders, body: request.body)
        guard pair.signer.signature(of: canonical, sdkDate: sdkDate) == authorization.signature.lowercased() else {
            return gateway("verify aksk signature fail")
        }
        return nil
    }
}
