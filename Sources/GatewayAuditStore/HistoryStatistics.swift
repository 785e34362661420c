import GatewayAuditCore

/// Totals over the whole history, for summaries.
public struct HistoryStatistics: Sendable, Hashable {
    /// Known gateways.
    public let gateways: Int
    /// Gateways whose latest state is gone.
    public let goneGateways: Int
    /// Stored snapshots, tombstones included.
    public let snapshots: Int
    /// Field changes (added, modified, removed).
    public let fieldChanges: Int
    /// Gateway events (first-seen, gone, reappeared).
    public let events: Int
    /// Stored anomalies.
    public let anomalies: Int
    /// Collection runs.
    public let runs: Int
    /// Failed observations.
    public let failedObservations: Int
}
