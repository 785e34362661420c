import GatewayAuditCore
import GatewayAuditStore

extension WhenChangedReport {
    /// A connection that used a customer gateway when it changed, with the connection's own changes
    /// observed in the same window.
    public struct ConnectionUse: Sendable, Hashable, Codable {
        /// The connection's id.
        public let connectionID: String
        /// Its name then.
        public let name: String?
        /// Its changes in the window, as `field: old → new` (or the event).
        public let changes: [String]

        enum CodingKeys: String, CodingKey {
            case connectionID = "connection_id"
            case name, changes
        }
    }

    /// `entries` with, on each, the connections whose snapshot named the gateway during the change's
    /// window, and what changed on those connections in that window.
    static func attachConnections(
        to entries: [Entry], rows: [ChangeRow], of gatewayID: GatewayID, store: any HistoryReading
    ) throws -> [Entry] {
        let linked = try store.linkedSnapshots(to: gatewayID, kind: .customerGateway)
        guard !linked.isEmpty else {
            return entries.map {
                var e = $0; e.connections = []; return e
            }
        }
        var changes: [ChangeRow] = []
        let ids = Array(Set(linked.map(\.gatewayID))).sorted()
        try ChangeRow.forEach(in: store, ReportFilter(gatewayIDs: ids, kinds: [.vpnConnection])) { changes.append($0) }
        // `rows[i]` is the change row `entries[i]` was made from: its instants bound the window.
        return zip(entries, rows).map { entry, row in
            var entry = entry
            let to = row.firstSeenAfter
            let from = row.lastSeenBefore ?? to
            var uses: [ConnectionUse] = []
            var seen = Set<GatewayID>()
            for snapshot in linked where snapshot.firstSeen <= to && snapshot.lastSeen >= from {
                guard seen.insert(snapshot.gatewayID).inserted else { continue }
                let own = changes.filter { change in
                    change.gatewayID == snapshot.gatewayID && change.firstSeenAfter <= to
                        && (row.lastSeenBefore.map { change.firstSeenAfter > $0 } ?? (change.firstSeenAfter == to))
                }.map(Self.describe)
                uses.append(ConnectionUse(connectionID: snapshot.gatewayID.rawValue, name: snapshot.name, changes: own))
            }
            entry.connections = uses
            return entry
        }
    }

    /// Lines for the terminal: per change, the tunnels that used the gateway then.
    var connectionLines: [String] {
        guard kind == .customerGateway, entries.contains(where: { !($0.connections ?? []).isEmpty }) else { return [] }
        var lines = ["", "Tunnels (VPN connections) using it at each change:"]
        for entry in entries {
            let what =
                entry.field.isEmpty
                ? entry.change.rawValue : "\(entry.change.rawValue) \(TerminalText.line(entry.field))"
            let uses = entry.connections ?? []
            lines.append("  \(what), first seen after \(entry.firstSeenAfter): " + (uses.isEmpty ? "none" : ""))
            for use in uses {
                let label = TerminalText.line(use.connectionID + (use.name.map { " (\($0))" } ?? ""))
                lines.append(
                    "    \(label)" + (use.changes.isEmpty ? ": unchanged" : ": " + use.changes.joined(separator: "; ")))
            }
        }
        return lines
    }

    /// The `connections` value of a JSON line.
    static func connectionsCell(_ uses: [ConnectionUse]) -> String {
        uses.map { use in
            use.connectionID + (use.name.map { " (\($0))" } ?? "") + ": "
                + (use.changes.isEmpty ? "unchanged" : use.changes.joined(separator: ", "))
        }.joined(separator: "; ")
    }

    private static func describe(_ row: ChangeRow) -> String {
        guard row.change.isFieldChange else { return row.change.rawValue }
        return "\(TerminalText.line(row.field)) \(short(row.oldValue)) → \(short(row.newValue))"
    }
}
