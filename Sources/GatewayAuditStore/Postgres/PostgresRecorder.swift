import Foundation
import GatewayAuditCore

/// ``SnapshotRecorder`` over PostgreSQL: the same snapshots, tombstones, last-seen marks, status
/// windows, change rows and anomalies, exactly as handed over, in as few round trips as the rows allow.
///
/// Each statement is a round trip to the server, so three things are batched or merged where
/// ``SnapshotRecorder`` runs a statement each:
/// - resources seen again unchanged get their last-seen marks, operational values and scope in one
///   `UPDATE … FROM (VALUES …)` per 300 (``flush()``, run by the caller before the transaction ends);
/// - new resources' rows, first snapshots, `first-seen` changes and first status windows are written
///   200 resources a statement each (``insertNew(_:_:)``, then ``flush()``);
/// - whether a new resource re-creates a gone one is asked only of those whose identity a gone
///   resource of the history shares (``RecreationCandidates``, read once per batch).
struct PostgresRecorder {
    let connection: PGConnection
    let run: Int64
    /// The run's scope, given to the resources it sees again (a resource seen by another scope moves).
    let scope: ScopeKey
    /// Resources seen again, waiting for ``flush()``.
    var extensions: [(gateway: Int64, seen: Int64, operational: String?)] = []
    /// New resources, waiting for ``flush()``.
    var news: [NewResource] = []
    private var candidates: RecreationCandidates
    /// A resource went in this batch: its identity is not among the candidates read before it.
    private var goneInBatch = false

    init(connection: PGConnection, run: Int64, scope: ScopeKey, writes: [SnapshotWrite]) throws {
        self.connection = connection
        self.run = run
        self.scope = scope
        candidates = try RecreationCandidates(of: writes) { sql, arguments, columns in
            try connection.rows(sql, arguments).map { row in try columns.map { try row.text($0) } }
        }
    }

    mutating func record(_ write: SnapshotWrite) throws -> ObservationOutcome {
        let observation = write.observation
        let latest = write.prior.latest
        let kind = write.prior.kind ?? observation.kind
        if write.prior.gatewayRow == nil, case .present(let current) = observation.result {
            try insertNew(current, write)
            return .new
        }
        let gateway = try write.prior.gatewayRow ?? insertGateway(observation.gatewayID, kind: kind)
        if write.prior.gatewayRow != nil, write.prior.kind == nil {
            try connection.execute("UPDATE gateway SET kind = ? WHERE id = ?", [kind, gateway])
        }
        let seen = observation.observedAt.storageValue
        switch observation.result {
        case .failed(let reason):
            try connection.execute(
                """
                INSERT INTO failed_observation (run, gateway, observed_at, error) VALUES (?, ?, ?, ?)
                ON CONFLICT (gateway, run) DO UPDATE SET observed_at = EXCLUDED.observed_at, error = EXCLUDED.error
                """, [run, gateway, seen, reason])
            return .failed
        case .gone:
            if let latest, latest.state == .gone {
                extensions.append((gateway, seen, nil))
                return .stillGone
            }
            goneInBatch = true
            try closeStatusWindow(prior: write.prior, gateway: gateway, seen: seen)
            let snapshot = try insertSnapshot(
                gateway: gateway, gatewayID: observation.gatewayID, kind: kind, after: latest, state: .gone,
                content: nil, seen: seen)
            try insertChange(snapshot: snapshot, ordinal: 0, kind: .gone, field: "", old: nil, new: nil)
            return .gone
        case .present(let current):
            try recordStatus(of: current, prior: write.prior, gateway: gateway, seen: seen)
            if write.prior.isUnchanged(by: observation) {
                extensions.append((gateway, seen, current.operationalJSON))
                return .unchanged
            }
            let snapshot = try insertSnapshot(
                gateway: gateway, gatewayID: observation.gatewayID, kind: kind, after: latest, state: .present,
                content: current, seen: seen)
            var ordinal = 0
            let outcome: ObservationOutcome
            if latest == nil {
                let recreated = try recreatedResource(current, excluding: gateway)
                try insertChange(snapshot: snapshot, ordinal: 0, kind: .firstSeen, field: "", old: recreated, new: nil)
                ordinal = 1
                outcome = .new
            } else if latest?.state == .gone {
                try insertChange(snapshot: snapshot, ordinal: 0, kind: .reappeared, field: "", old: nil, new: nil)
                ordinal = 1
                outcome = .reappeared
            } else {
                outcome = .changed
            }
            try insertDetails(of: write, snapshot: snapshot, from: ordinal)
            return outcome
        }
    }

    private func insertGateway(_ id: GatewayID, kind: ResourceKind) throws -> Int64 {
        try connection.rows("INSERT INTO gateway (gateway_id, kind) VALUES (?, ?) RETURNING id", [id.rawValue, kind])
            .first?.int("id") ?? 0
    }

    /// The write's field changes, numbered from `ordinal`, and its anomalies.
    func insertDetails(of write: SnapshotWrite, snapshot: Int64, from ordinal: Int) throws {
        var ordinal = ordinal
        for change in write.changes {
            try insertChange(
                snapshot: snapshot, ordinal: ordinal, kind: change.kind, field: change.path,
                old: change.oldValue, new: change.newValue)
            ordinal += 1
        }
        for anomaly in write.anomalies {
            try connection.execute(
                """
                INSERT INTO anomaly (snapshot, field, kind, detail) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """, [snapshot, anomaly.field, anomaly.kind.rawValue, anomaly.detail])
        }
    }

    private func recordStatus(of resource: Resource, prior: PriorState, gateway: Int64, seen: Int64) throws {
        guard resource.kind.operationalPaths.contains("status"), let status = resource.status else { return }
        if prior.status == status, prior.latest?.state == .present { return }
        // The status moves from the one the prior state read, or another run moved it since (a scope seeing
        // the same connection; its row lock makes this wait for that run's commit): then the batch is refused.
        let moved = try connection.execute(
            "UPDATE gateway SET status = ? WHERE id = ? AND status IS NOT DISTINCT FROM ?",
            [status, gateway, prior.status])
        if moved != 1 { throw StalePriorState(gatewayID: resource.id, what: "status") }
        try closeStatusWindow(prior: prior, gateway: gateway, seen: seen)
        try connection.execute(
            """
            INSERT INTO status_window (gateway, seq, status, first_run, first_seen)
            VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM status_window WHERE gateway = ?), ?, ?, ?)
            """, [gateway, gateway, status, run, seen])
    }

    /// Ends the open status window at the last observation that saw the resource before this one.
    private func closeStatusWindow(prior: PriorState, gateway: Int64, seen: Int64) throws {
        guard prior.status != nil, let latest = prior.latest else { return }
        try connection.execute(
            "UPDATE status_window SET last_run = ?, last_seen = ? WHERE gateway = ? AND last_seen IS NULL",
            [latest.lastRun ?? run, latest.lastSeen ?? seen, gateway])
    }

    private func insertSnapshot(
        gateway: Int64, gatewayID: GatewayID, kind: ResourceKind, after latest: PriorState.Latest?,
        state: SnapshotState, content: Resource?, seen: Int64
    ) throws -> Int64 {
        if let latest {
            let closed = try connection.execute(
                "UPDATE snapshot SET last_run = ?, last_seen = ? WHERE id = ? AND last_seen IS NULL",
                [latest.lastRun ?? run, latest.lastSeen ?? seen, latest.snapshotRow])
            if closed != 1 {
                throw StalePriorState(gatewayID: gatewayID)
            }
        }
        let values = snapshotValues(
            gatewayID: gatewayID, kind: kind, after: latest, state: state, content: content, seen: seen)
        let snapshot =
            try connection.rows(
                """
                INSERT INTO snapshot (gateway, \(Self.snapshotColumns))
                VALUES (?, \(SQLList.placeholders(values.count))) RETURNING id
                """, [gateway] + values
            ).first?.int("id") ?? 0
        try connection.execute(
            "UPDATE gateway SET last_run = ?, last_seen = ?, operational = COALESCE(?, operational) WHERE id = ?",
            [run, seen, content?.operationalJSON, gateway])
        return snapshot
    }

    /// The snapshot columns after `gateway`, in the order ``snapshotValues(gatewayID:kind:after:state:content:seen:)``
    /// gives their values.
    static let snapshotColumns = """
        seq, state, first_run, first_seen, content, content_sha256, id_value, created_at_raw, created_at_utc,
            created_at_offset, updated_at_raw, updated_at_utc, updated_at_offset, chain_sha256, cgw_id, vgw_id
        """

    /// A new snapshot's values, chained to the resource's latest.
    func snapshotValues(
        gatewayID: GatewayID, kind: ResourceKind, after latest: PriorState.Latest?, state: SnapshotState,
        content: Resource?, seen: Int64
    ) -> [any PGBindable] {
        let seq = (latest?.seq ?? 0) + 1
        let hash = content?.contentSHA256
        let chain = SnapshotChain.link(
            previous: latest?.chain ?? SnapshotChain.genesis, gatewayID: gatewayID, seq: seq, state: state,
            firstRun: run, firstSeen: Instant(nanosecondsSinceEpoch: seen), contentSHA256: hash, kind: kind)
        let created = content?.createdAt
        let updated = content?.updatedAt
        return [
            seq, state, run, seen, content?.canonicalJSON, hash, content?.identityValue,
            content?.createdAtText, created?.instant.storageValue, created.flatMap(Self.offsetValue),
            content?.updatedAtText, updated?.instant.storageValue, updated.flatMap(Self.offsetValue), chain,
            content?.link(to: .customerGateway)?.rawValue, content?.link(to: .vpnGateway)?.rawValue,
        ]
    }

    static func offsetValue(_ timestamp: Timestamp) -> Int? {
        timestamp.offset.isStated ? timestamp.offset.seconds : nil
    }

    func insertChange(
        snapshot: Int64, ordinal: Int, kind: ChangeKind, field: String, old: String?, new: String?
    ) throws {
        try connection.execute(
            "INSERT INTO change (snapshot, ordinal, change, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)",
            [snapshot, ordinal, kind, field, old, new])
    }

    /// A gone resource this one re-creates under a new id (see ``SnapshotRecorder``).
    func recreatedResource(_ resource: Resource, excluding gateway: Int64) throws -> String? {
        if !goneInBatch, !candidates.mayRecreate(resource) { return nil }
        let gone = "s.state = \(SnapshotState.gone.sqlLiteral) AND g.id <> ?"
        if resource.kind == .vpnConnection, let cgw = resource.link(to: .customerGateway),
            let vgw = resource.link(to: .vpnGateway)
        {
            return try connection.rows(
                """
                SELECT g.gateway_id FROM gateway g
                JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                WHERE \(gone) AND g.id IN (SELECT gateway FROM snapshot WHERE cgw_id = ? AND vgw_id = ?)
                ORDER BY s.first_seen DESC LIMIT 1
                """, [gateway, cgw.rawValue, vgw.rawValue]
            ).first?.text("gateway_id")
        }
        guard let idValue = resource.identityValue else { return nil }
        return try connection.rows(
            """
            SELECT g.gateway_id FROM gateway g
            JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
            WHERE \(gone) AND g.id IN (SELECT gateway FROM snapshot WHERE id_value = ?)
            ORDER BY s.first_seen DESC LIMIT 1
            """, [gateway, idValue]
        ).first?.text("gateway_id")
    }
}
