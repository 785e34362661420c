import Crypto
import Foundation
import GatewayAuditCore

/// The hash chain over a gateway's snapshots: each link covers the previous link and every fact of
/// the snapshot fixed when it was written, so editing, removing or reordering one breaks all later links.
public enum SnapshotChain {
    /// The link value before a gateway's first snapshot.
    public static let genesis = ""

    /// The chain value of a snapshot.
    public static func link(
        previous: String, gatewayID: GatewayID, seq: Int64, state: SnapshotState, firstRun: Int64,
        firstSeen: Instant, contentSHA256: String?, kind: ResourceKind = .customerGateway
    ) -> String {
        let nanos = firstSeen.nanosecondsSinceEpoch.map(String.init) ?? "\(firstSeen.seconds).\(firstSeen.nanoseconds)"
        var fields = [
            previous, gatewayID.rawValue, String(seq), state.rawValue, String(firstRun), nanos, contentSHA256 ?? "",
        ]
        // A customer gateway's link is the first release's, unchanged; other kinds also cover their kind,
        // so relabelling a resource's kind breaks its chain.
        if kind != .customerGateway { fields.append(kind.rawValue) }
        return SHA256.hash(data: Data(fields.joined(separator: "\n").utf8)).hexString
    }
}

/// Whether a snapshot records a gateway that exists or a tombstone.
public enum SnapshotState: String, Sendable, Hashable, Codable, CaseIterable {
    /// The gateway existed with the snapshot's content.
    case present
    /// The API answered 404: a tombstone.
    case gone
}
