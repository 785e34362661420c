import Foundation
import GatewayAuditCore
import HTTPTypes
import Logging

/// The IAM password-token request (`POST .../v3/auth/tokens`, project scope), sent through the same
/// ``RequestPipeline`` as every VPN call.
struct IAMTokenRequest: Sendable {
    let identity: PasswordIdentity
    let projectID: String

    /// Asks IAM for a project-scoped token.
    /// - Throws: ``ClientError``: `.authentication` for 400/401/403, `.invalidResponse` for a 2xx without
    ///   `X-Subject-Token`, and whatever the pipeline throws (`.cancelled`, `.deadlineExceeded`, ...).
    func fetch(using pipeline: RequestPipeline) async throws(ClientError) -> IAMToken {
        let body: JSONValue = .object([
            "auth": .object([
                "identity": .object([
                    "methods": .array([.string("password")]),
                    "password": .object([
                        "user": .object([
                            "name": .string(identity.userName), "password": .string(identity.password),
                            "domain": .object(["name": .string(identity.domainName)]),
                        ])
                    ]),
                ]),
                "scope": .object(["project": .object(["id": .string(projectID)])]),
            ])
        ])
        let request = ClientRequest(
            method: .post, url: identity.tokenURL, headerFields: [.contentType: "application/json;charset=utf8"],
            body: Data(body.canonicalJSON.utf8))
        let response = try await pipeline.send(
            request, authenticator: nil,
            expecting: RequestPipeline.Expectation(authenticationStatuses: [400, 401, 403]), context: "IAM token")
        guard let token = response.headerFields.value(named: "X-Subject-Token"), !token.isEmpty else {
            throw .invalidResponse("IAM answered without an X-Subject-Token header", requestID: response.requestID)
        }
        let expiresAt = IAMTokenRequest.expiry(of: response, logger: pipeline.logger)
        pipeline.logger.debug("obtained IAM token", metadata: ["expires_at": "\(expiresAt.map { "\($0)" } ?? "-")"])
        return IAMToken(value: token, expiresAt: expiresAt)
    }

    /// `token.expires_at` from the body. Without it the token is used until rejected, then renewed,
    /// so a missing or unreadable expiry is worth a notice, not a failure.
    private static func expiry(of response: ClientResponse, logger: Logger) -> Instant? {
        let text: String?
        do {
            text = try JSONValue(data: response.body)["token"]?["expires_at"]?.stringValue
        } catch {
            logger.notice(
                "IAM token body is not JSON; the token is used until rejected", metadata: ["error": "\(error)"])
            return nil
        }
        guard let text else { return nil }
        do {
            return try Timestamp(parsing: text).instant
        } catch {
            logger.notice(
                "IAM token expires_at is not RFC 3339; the token is used until rejected",
                metadata: ["expires_at": "\(text)"])
            return nil
        }
    }
}
