import GatewayAuditCore

/// What one run learned about one gateway.
public struct Observation: Sendable, Hashable {
    /// What the fetch returned.
    public enum Result: Sendable, Hashable {
        /// The gateway exists; its content as received.
        case present(CustomerGateway)
        /// The API answered 404: the gateway no longer exists.
        case gone
        /// The fetch failed (after retries); the reason, free of secrets.
        case failed(String)
    }

    /// The gateway concerned.
    public let gatewayID: GatewayID
    /// When the response arrived (UTC).
    public let observedAt: Instant
    /// What was learned.
    public let result: Result

    /// Creates an observation.
    public init(gatewayID: GatewayID, observedAt: Instant, result: Result) {
        self.gatewayID = gatewayID
        self.observedAt = observedAt
        self.result = result
    }

    /// An observation of a gateway that exists, keyed by its own id.
    public static func present(_ gateway: CustomerGateway, at instant: Instant) -> Observation {
        Observation(gatewayID: gateway.id, observedAt: instant, result: .present(gateway))
    }
}

/// How the store classified one observation.
public enum ObservationOutcome: String, Sendable, Hashable, CaseIterable {
    /// First time this id was seen.
    case new
    /// Same content as the latest snapshot: only its last-seen mark moved.
    case unchanged
    /// Content differs: a new snapshot was written.
    case changed
    /// A gone id is back.
    case reappeared
    /// A 404 for a gateway that was present (or never seen): a tombstone was written.
    case gone
    /// A 404 again for a gateway already recorded as gone.
    case stillGone = "still-gone"
    /// The fetch failed; a failed observation was recorded, the history is untouched.
    case failed
}
