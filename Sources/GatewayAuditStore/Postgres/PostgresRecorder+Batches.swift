import GatewayAuditCore

extension PostgresRecorder {
    /// A resource the history has never seen, kept for ``flush()``: whether it re-creates a gone resource
    /// is asked now, in the batch's order.
    mutating func insertNew(_ current: Resource, _ write: SnapshotWrite) throws {
        let observation = write.observation
        let seen = observation.observedAt.storageValue
        let status = current.kind.operationalPaths.contains("status") ? current.status : nil
        // Before the row exists, so no row needs excluding.
        let recreated = try recreatedResource(current, excluding: 0)
        let snapshot = snapshotValues(
            gatewayID: observation.gatewayID, kind: observation.kind, after: nil, state: .present, content: current,
            seen: seen)
        news.append(
            NewResource(
                write: write,
                row: [
                    observation.gatewayID.rawValue, observation.kind, run, seen, current.operationalJSON, status,
                    scope.account, scope.cloud, scope.region, scope.projectID,
                ],
                snapshot: snapshot, recreated: recreated, status: status, seen: seen))
    }

    /// The new resources' rows (with the run's scope), first snapshots, `first-seen` changes and first
    /// status windows, 200 resources a statement each; then their field changes and anomalies, when they
    /// have any.
    private mutating func flushNew() throws {
        for start in stride(from: 0, to: news.count, by: 200) {
            let chunk = news[start..<min(start + 200, news.count)]
            // Keyed by the ids' bytes, as the table's UNIQUE index compares them: two new ids Swift's `String`
            // holds equal (`é` composed and `e` with a combining accent) are two rows here too.
            var rows: [GatewayID: Int64] = [:]
            for row in try connection.rows(
                """
                INSERT INTO gateway (gateway_id, kind, last_run, last_seen, operational, status,
                    account, cloud, region, project_id)
                VALUES \(SQLList.groups("(\(SQLList.placeholders(10)))", count: chunk.count)) RETURNING id, gateway_id
                """, chunk.flatMap(\.row))
            {
                rows[GatewayID(try row.text("gateway_id"))] = try row.int("id")
            }
            let gateways = chunk.map { rows[$0.write.observation.gatewayID] ?? 0 }
            var snapshots: [Int64: Int64] = [:]
            for row in try connection.rows(
                """
                INSERT INTO snapshot (gateway, \(Self.snapshotColumns))
                VALUES \(SQLList.groups("(\(SQLList.placeholders(17)))", count: chunk.count)) RETURNING id, gateway
                """, zip(chunk, gateways).flatMap { [$1] + $0.snapshot })
            {
                snapshots[try row.int("gateway")] = try row.int("id")
            }
            let snapshotRows = gateways.map { snapshots[$0] ?? 0 }
            try connection.execute(
                """
                INSERT INTO change (snapshot, ordinal, change, field, old_value, new_value)
                VALUES \(SQLList.groups("(?, 0, ?, '', ?, NULL)", count: chunk.count))
                """, zip(chunk, snapshotRows).flatMap { [$1, ChangeKind.firstSeen, $0.recreated] as [any PGBindable] })
            let windows = zip(chunk, gateways).filter { $0.0.status != nil }
            if !windows.isEmpty {
                try connection.execute(
                    """
                    INSERT INTO status_window (gateway, seq, status, first_run, first_seen)
                    VALUES \(SQLList.groups("(?, 1, ?, ?, ?)", count: windows.count))
                    """, windows.flatMap { [$1, $0.status, run, $0.seen] as [any PGBindable] })
            }
            for (new, snapshot) in zip(chunk, snapshotRows)
            where !new.write.changes.isEmpty || !new.write.anomalies.isEmpty {
                try insertDetails(of: new.write, snapshot: snapshot, from: 1)
            }
        }
        news.removeAll()
    }

    /// The deferred resources' current snapshots were seen again: moves their last-seen marks (kept on
    /// the resource rows), keeps their latest operational values, when the observation brought some, and
    /// gives them the run's scope; 300 resources a statement.
    mutating func flush() throws {
        try flushNew()
        for start in stride(from: 0, to: extensions.count, by: 300) {
            let chunk = extensions[start..<min(start + 300, extensions.count)]
            var arguments: [any PGBindable] = [scope.account, scope.cloud, scope.region, scope.projectID, run]
            arguments.reserveCapacity(5 + chunk.count * 3)
            for item in chunk { arguments += [item.gateway, item.seen, item.operational] }
            // Marks only move forward (an import may bring an older night); the scope is the run's either way.
            let later = "(gateway.last_seen IS NULL OR gateway.last_seen <= v.seen)"
            try connection.execute(
                """
                UPDATE gateway SET account = ?, cloud = ?, region = ?, project_id = ?,
                    last_run = CASE WHEN \(later) THEN ?::bigint ELSE gateway.last_run END,
                    last_seen = CASE WHEN \(later) THEN v.seen ELSE gateway.last_seen END,
                    operational = CASE WHEN \(later) THEN COALESCE(v.operational, gateway.operational)
                        ELSE gateway.operational END
                FROM (VALUES \(SQLList.groups("(?::bigint, ?::bigint, ?::text)", count: chunk.count))) AS v (id, seen, operational)
                WHERE gateway.id = v.id
                """, arguments)
        }
        extensions.removeAll()
    }
}

/// A new resource waiting for ``PostgresRecorder/flush()``: its row's and first snapshot's values.
struct NewResource {
    let write: SnapshotWrite
    let row: [any PGBindable]
    let snapshot: [any PGBindable]
    let recreated: String?
    let status: String?
    let seen: Int64
}
