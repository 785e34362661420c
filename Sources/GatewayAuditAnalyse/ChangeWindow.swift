import GatewayAuditCore

/// Judges the API's own claim of when a change happened against the window the history observed.
public enum ChangeWindow {
    /// Whether `updatedAt` lies inside the window (`lastSeenBefore`, `firstSeenAfter`]: nil when it
    /// cannot be judged (no timestamp, or no earlier observation: a first sighting has no window).
    public static func contains(_ updatedAt: Timestamp?, after lastSeenBefore: Instant?, upTo firstSeenAfter: Instant)
        -> Bool?
    {
        guard let updatedAt, let lastSeenBefore else { return nil }
        return updatedAt.instant > lastSeenBefore && updatedAt.instant <= firstSeenAfter
    }
}
