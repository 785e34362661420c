import GatewayAuditCore

/// What `verify` found in a database.
public struct HistoryVerification: Sendable, Hashable {
    /// Where a problem was found.
    public enum Area: String, Sendable, Hashable {
        /// A snapshot's content, sequence or chain link.
        case snapshot
        /// The stored field changes of a snapshot.
        case change
        /// A run record.
        case run
        /// The chain head recorded by the last run.
        case head
    }

    /// One broken link or inconsistency, named precisely.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// Where it was found.
        public let area: Area
        /// Which gateway (for snapshot and change problems).
        public let gatewayID: GatewayID?
        /// Which snapshot seq or run id.
        public let item: Int64?
        /// What differs.
        public let detail: String

        /// The problem as `verify` prints it.
        public var description: String {
            switch area {
            case .run: return "run \(item.map(String.init) ?? "?"): \(detail)"
            case .head: return "chain head: \(detail)"
            case .snapshot, .change:
                return "gateway \(gatewayID?.rawValue ?? "?") snapshot \(item.map(String.init) ?? "?"): \(detail)"
            }
        }
    }

    /// The recomputed chain head over every gateway's latest snapshot.
    public let chainHead: String
    /// Problems in the order found (gateways by id, then runs); empty when everything verifies.
    public let problems: [Problem]
    /// Snapshots checked.
    public let snapshots: Int
    /// Runs checked.
    public let runs: Int

    /// True when nothing differs.
    public var isIntact: Bool { problems.isEmpty }
}
