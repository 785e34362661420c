import GatewayAuditCore

/// Consecutive authentication failures of one access key, and the lock they caused.
struct KeyFailures: Sendable, Hashable {
    var consecutive = 0
    var lockedUntil: Instant?
}
