import GatewayAuditCore

/// A token issued by the simulated IAM.
struct IssuedToken: Sendable, Hashable {
    let projectID: String
    let expiresAt: Instant
}
