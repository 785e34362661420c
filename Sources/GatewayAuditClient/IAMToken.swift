import GatewayAuditCore
/// An IAM token and, when IAM said so, when it stops being valid.
struct IAMToken: Sendable, Hashable {
    /// Renew this long before the stated expiry, so no request is sent with a token about to lapse.
    static let renewalMarginSeconds: Int64 = 300

    /// The `X-Auth-Token` value.
    let value: String
    /// `token.expires_at` from IAM's answer; nil when it did not say.
    let expiresAt: Instant?

    /// Whether the token may still be sent at `now`.
    func isFresh(at now: Instant) -> Bool {
        expiresAt.map { $0 > now.adding(seconds: IAMToken.renewalMarginSeconds) } ?? true
    }
}
