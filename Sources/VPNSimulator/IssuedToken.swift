import GatewayAuditCore

/// A token issued by the simulated IAM.
struct IssuedToken: Sendable, Hashable {
    let projectID: String
    let expiresAt: Instant
    /// Requests it may still authorise; nil for no limit (``SimulatorCredentials/tokenLifetimeRequests``).
    var requestsLeft: Int?
}
