import GatewayAuditCore

/// How a collection run ended; the text is what the `run.status` column and reports hold.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Still going, or killed before it could finish (shown until the next run closes it).
    case running
    /// Every gateway was observed.
    case complete
    /// Some gateways failed, or the listing could not be completed; all others were stored.
    case partial
    /// The run stopped early (authentication rejected, listing failed, deadline).
    case failed
    /// The process died mid-run; closed by the next run.
    case aborted
}
