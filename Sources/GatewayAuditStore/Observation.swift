import GatewayAuditCore

/// What one run learned about one resource.
public struct Observation: Sendable, Hashable {
    /// What the fetch returned.
    public enum Result: Sendable, Hashable {
        /// The resource exists; its content as received.
        case present(Resource)
        /// The API answered 404: the gateway no longer exists.
        case gone
        /// The fetch failed (after retries); the reason, free of secrets.
        case failed(String)

        /// A customer gateway that exists.
        public static func present(_ gateway: CustomerGateway) -> Result { .present(gateway.resource) }
    }

    /// The resource concerned.
    public let gatewayID: GatewayID
    /// Its kind (a present observation's resource has the same).
    public let kind: ResourceKind
    /// When the response arrived (UTC).
    public let observedAt: Instant
    /// What was learned.
    public let result: Result

    /// Creates an observation.
    public init(gatewayID: GatewayID, kind: ResourceKind = .customerGateway, observedAt: Instant, result: Result) {
        self.gatewayID = gatewayID
        if case .present(let resource) = result {
            self.kind = resource.kind
        } else {
            self.kind = kind
        }
        self.observedAt = observedAt
        self.result = result
    }

    /// An observation of a customer gateway that exists, keyed by its own id.
    public static func present(_ gateway: CustomerGateway, at instant: Instant) -> Observation {
        present(gateway.resource, at: instant)
    }

    /// An observation of a resource that exists, keyed by its own id.
    public static func present(_ resource: Resource, at instant: Instant) -> Observation {
        Observation(gatewayID: resource.id, observedAt: instant, result: .present(resource))
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
