import GRDB
import GatewayAuditCore

extension SnapshotRecorder {
    /// A resource the history has never seen: its row is inserted with its last-seen mark, latest
    /// operational values, status and the run's scope already set (no second statement moves them), its
    /// first status window starts at 1, and whether it re-creates a gone resource is asked before the
    /// row exists, so no row needs excluding (and only when a gone resource shares its identity).
    mutating func recordNew(_ current: Resource, _ write: SnapshotWrite) throws -> ObservationOutcome {
        let observation = write.observation
        let seen = observation.observedAt.storageValue
        let status = current.kind.operationalPaths.contains("status") ? current.status : nil
        let recreated = try recreatedResource(current, excluding: 0)
        try db.cachedStatement(
            sql: """
                INSERT INTO gateway (gateway_id, kind, last_run, last_seen, operational, status,
                    account, cloud, region, project_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            observation.gatewayID.rawValue, observation.kind, run, seen, current.operationalJSON, status,
            scope.account, scope.cloud, scope.region, scope.projectID,
        ])
        let gateway = db.lastInsertedRowID
        if let status {
            try db.cachedStatement(
                sql: "INSERT INTO status_window (gateway, seq, status, first_run, first_seen) VALUES (?, 1, ?, ?, ?)"
            ).execute(arguments: [gateway, status, run, seen])
        }
        let snapshot = try insertSnapshot(
            gateway: gateway, gatewayID: observation.gatewayID, kind: observation.kind, after: nil, state: .present,
            content: current, seen: seen, marksResource: false)
        try insertChange(snapshot: snapshot, ordinal: 0, kind: .firstSeen, field: "", old: recreated, new: nil)
        try insertDetails(of: write, snapshot: snapshot, from: 1)
        return .new
    }

    /// A gone resource this one re-creates under a new id: a customer gateway with the same `id_value`,
    /// or a connection between the same VPN gateway and customer gateway.
    func recreatedResource(_ resource: Resource, excluding gateway: Int64) throws -> String? {
        if !goneInBatch, !candidates.mayRecreate(resource) { return nil }
        // The latest gone resource (other than this one) one of whose snapshots meets `condition`.
        func latestGone(matching condition: String, _ values: [String]) throws -> String? {
            var arguments: [any DatabaseValueConvertible] = [gateway]
            arguments += values as [any DatabaseValueConvertible]
            return try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT g.gateway_id FROM gateway g
                        JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                        WHERE s.state = \(SnapshotState.gone.sqlLiteral) AND g.id <> ?
                            AND g.id IN (SELECT gateway FROM snapshot WHERE \(condition))
                        ORDER BY s.first_seen DESC LIMIT 1
                        """),
                arguments: StatementArguments(arguments))
        }
        if resource.kind == .vpnConnection, let cgw = resource.link(to: .customerGateway),
            let vgw = resource.link(to: .vpnGateway)
        {
            return try latestGone(matching: "cgw_id = ? AND vgw_id = ?", [cgw.rawValue, vgw.rawValue])
        }
        guard let idValue = resource.identityValue else { return nil }
        return try latestGone(matching: "id_value = ?", [idValue])
    }
}
