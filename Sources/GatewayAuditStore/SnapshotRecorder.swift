import Foundation
import GRDB
import GatewayAuditCore

/// Persists prepared writes inside one write transaction: snapshots, tombstones, last-seen marks,
/// change rows and anomalies, exactly as handed over.
///
/// Moving the last-seen mark of a resource seen again unchanged (most of every night) is deferred and
/// done for up to 500 resources per statement by ``flush()``, which the caller runs before the
/// transaction ends: no other write of the batch reads those marks. A new resource's row is inserted
/// with its mark, status and scope (``recordNew(_:_:)``); whether it re-creates a gone resource is
/// looked up only when one shares its identity (``RecreationCandidates``, read once per batch).
struct SnapshotRecorder {
    let db: Database
    let run: Int64
    /// The run's scope, given to the resources it sees again (a resource seen by another scope moves).
    let scope: ScopeKey
    /// Whether a resource of the history may be in another scope than the run's (else the scope pass over
    /// the resources seen again is skipped).
    let movesScopes: Bool
    private var extensions: [(gateway: Int64, seen: Int64, operational: String?)] = []
    let candidates: RecreationCandidates
    /// The batch's contents are compressed with one stream (``StoredContent``).
    let deflater = ContentDeflater()
    /// A resource went in this batch: its identity is not among the candidates read before it.
    private(set) var goneInBatch = false
    /// The resource rows a snapshot was inserted for: their chain head lines changed (``ChainHeadCache``).
    private(set) var snapshotRows: [Int64] = []

    init(db: Database, run: Int64, scope: ScopeKey, writes: [SnapshotWrite], movesScopes: Bool) throws {
        self.db = db
        self.run = run
        self.scope = scope
        self.movesScopes = movesScopes
        candidates = try RecreationCandidates(of: writes) { sql, arguments, columns in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                columns.map { row[$0] ?? "" }
            }
        }
    }

    mutating func record(_ write: SnapshotWrite) throws -> ObservationOutcome {
        let observation = write.observation
        if write.prior.gatewayRow == nil, case .present(let current) = observation.result {
            return try recordNew(current, write)
        }
        let latest = write.prior.latest
        // A gone or failed observation of a known id is of the kind the history records for it.
        let kind = write.prior.kind ?? observation.kind
        let gateway = try write.prior.gatewayRow ?? insertGateway(observation.gatewayID, kind: kind)
        if write.prior.gatewayRow != nil, write.prior.kind == nil {
            // A row with only failed lookups under a guessed kind (see the prior-state read).
            try db.cachedStatement(sql: "UPDATE gateway SET kind = ? WHERE id = ?").execute(arguments: [kind, gateway])
        }
        let seen = observation.observedAt.storageValue
        switch observation.result {
        case .failed(let reason):
            try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO failed_observation (run, gateway, observed_at, error) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [run, gateway, seen, reason])
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
                content: nil,
                seen: seen)
            try insertChange(snapshot: snapshot, ordinal: 0, kind: .gone, field: "", old: nil, new: nil)
            return .gone
        case .present(let current):
            try recordStatus(of: current, prior: write.prior, gateway: gateway, seen: seen)
            if write.prior.isUnchanged(by: observation) {
                extensions.append((gateway, seen, current.operationalJSON))
                return .unchanged
            }
            let snapshot = try insertSnapshot(
                gateway: gateway, gatewayID: observation.gatewayID, kind: kind, after: latest,
                state: .present, content: current,
                seen: seen)
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
            try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO anomaly (snapshot, field, kind, detail) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [snapshot, anomaly.field, anomaly.kind.rawValue, anomaly.detail])
        }
    }

    private func insertGateway(_ id: GatewayID, kind: ResourceKind) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO gateway (gateway_id, kind) VALUES (?, ?)")
            .execute(arguments: [id.rawValue, kind])
        return db.lastInsertedRowID
    }

    /// The condition that keeps a resource's last-seen mark from moving back: it is unset, or not later
    /// than `seen` (an SQL expression).
    private static func movesForward(to seen: String) -> String {
        "(gateway.last_seen IS NULL OR gateway.last_seen <= \(seen))"
    }

    /// The deferred resources' current snapshots were seen again: moves their last-seen marks (kept on
    /// the resource rows), keeps their latest operational values, when the observation brought some, and
    /// gives them the run's scope. Marks only move forward (an import may bring an older night).
    ///
    /// Most of a night shares one observation time and brings no operational values (a listing, an
    /// import): those marks are set by lists of 500 ids, which costs SQLite two thirds of joining a
    /// `VALUES` list; the others go 300 to a statement with their own time and values.
    ///
    /// The scope is set by a statement of its own that writes only the rows of another scope, and only
    /// when a resource of the history was in one: SQLite rewrites a row's index entries for every column an
    /// `UPDATE` sets, changed or not, so setting the scope with the marks doubled the cost of an
    /// unchanged night.
    mutating func flush() throws {
        let shared = extensions.first?.seen
        var listed: [Int64] = []
        var valued: [(gateway: Int64, seen: Int64, operational: String?)] = []
        listed.reserveCapacity(extensions.count)
        for item in extensions {
            if item.seen == shared && item.operational == nil {
                listed.append(item.gateway)
            } else {
                valued.append(item)
            }
        }
        for start in stride(from: 0, to: listed.count, by: 500) {
            let chunk = listed[start..<min(start + 500, listed.count)]
            // Prepared once per chunk size: every full chunk has the same text.
            try db.cachedStatement(
                sql: """
                    UPDATE gateway SET last_run = ?1, last_seen = ?2
                    WHERE id IN (\(SQLList.placeholders(chunk.count)))
                        AND \(Self.movesForward(to: "?2"))
                    """
            ).execute(
                arguments: StatementArguments(
                    [run, shared] as [(any DatabaseValueConvertible)?]
                        + chunk.map { $0 as (any DatabaseValueConvertible)? }))
        }
        for start in stride(from: 0, to: valued.count, by: 300) {
            let chunk = valued[start..<min(start + 300, valued.count)]
            var arguments: [(any DatabaseValueConvertible)?] = [run]
            arguments.reserveCapacity(1 + chunk.count * 3)
            for item in chunk { arguments += [item.gateway, item.seen, item.operational] }
            try db.cachedStatement(
                sql: """
                    UPDATE gateway SET last_run = ?1, last_seen = v.column2,
                        operational = COALESCE(v.column3, gateway.operational)
                    FROM (VALUES \(SQLList.groups("(?, ?, ?)", count: chunk.count))) AS v
                    WHERE gateway.id = v.column1 AND \(Self.movesForward(to: "v.column2"))
                    """
            ).execute(arguments: StatementArguments(arguments))
        }
        if movesScopes {
            for start in stride(from: 0, to: extensions.count, by: 300) {
                let chunk = extensions[start..<min(start + 300, extensions.count)]
                try db.cachedStatement(
                    sql: """
                        UPDATE gateway SET account = ?1, cloud = ?2, region = ?3, project_id = ?4
                        WHERE id IN (\(SQLList.placeholders(chunk.count)))
                            AND NOT (account = ?1 AND cloud = ?2 AND region = ?3 AND project_id = ?4)
                        """
                ).execute(
                    arguments: StatementArguments(
                        [scope.account, scope.cloud, scope.region, scope.projectID] + chunk.map(\.gateway)))
            }
        }
        extensions.removeAll()
    }

    /// Leaves the open window of the resource's `status` open when the status is the same (its end is
    /// the resource row's last-seen mark, moved with the snapshot's), or closes it and opens a new one
    /// when the status differs, or the resource is new or back after being gone.
    private func recordStatus(of resource: Resource, prior: PriorState, gateway: Int64, seen: Int64) throws {
        guard resource.kind.operationalPaths.contains("status"), let status = resource.status else { return }
        if prior.status == status, prior.latest?.state == .present { return }
        // The status moves from the one the prior state read, or another run moved it since (a scope seeing
        // the same connection): then its window was closed and opened anew, and this batch is refused whole.
        try db.cachedStatement(sql: "UPDATE gateway SET status = ? WHERE id = ? AND status IS ?")
            .execute(arguments: [status, gateway, prior.status])
        if db.changesCount != 1 { throw StalePriorState(gatewayID: resource.id, what: "status") }
        try closeStatusWindow(prior: prior, gateway: gateway, seen: seen)
        try db.cachedStatement(
            sql: """
                INSERT INTO status_window (gateway, seq, status, first_run, first_seen)
                VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM status_window WHERE gateway = ?), ?, ?, ?)
                """
        ).execute(arguments: [gateway, gateway, status, run, seen])
    }

    /// Ends the open status window at the last observation that saw the resource before this one.
    private func closeStatusWindow(prior: PriorState, gateway: Int64, seen: Int64) throws {
        guard prior.status != nil, let latest = prior.latest else { return }
        try db.cachedStatement(
            sql: "UPDATE status_window SET last_run = ?, last_seen = ? WHERE gateway = ? AND last_seen IS NULL"
        ).execute(arguments: [latest.lastRun ?? run, latest.lastSeen ?? seen, gateway])
    }

    /// Inserts the resource's next snapshot, closing the one it supersedes, and moves the resource row's
    /// last-seen mark to it (unless `marksResource` is false: a new row is inserted with its mark).
    mutating func insertSnapshot(
        gateway: Int64, gatewayID: GatewayID, kind: ResourceKind, after latest: PriorState.Latest?,
        state: SnapshotState, content: Resource?, seen: Int64, marksResource: Bool = true
    ) throws -> Int64 {
        let seq = (latest?.seq ?? 0) + 1
        snapshotRows.append(gateway)
        let hash = content?.contentSHA256
        let chain = SnapshotChain.link(
            previous: latest?.chain ?? SnapshotChain.genesis, gatewayID: gatewayID, seq: seq, state: state,
            firstRun: run, firstSeen: Instant(nanosecondsSinceEpoch: seen), contentSHA256: hash,
            kind: kind)
        let created = content?.createdAt
        let updated = content?.updatedAt
        if let latest {
            // Close the superseded snapshot with the last observation that saw it. A prior state read
            // outside this run's lock would find the snapshot already closed: refuse rather than fork.
            try db.cachedStatement(
                sql: "UPDATE snapshot SET last_run = ?, last_seen = ? WHERE id = ? AND last_seen IS NULL"
            )
            .execute(arguments: [latest.lastRun ?? run, latest.lastSeen ?? seen, latest.snapshotRow])
            if db.changesCount != 1 {
                throw StalePriorState(gatewayID: gatewayID)
            }
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO snapshot (gateway, seq, state, first_run, first_seen, content,
                    content_sha256, id_value, created_at_raw, created_at_utc, created_at_offset,
                    updated_at_raw, updated_at_utc, updated_at_offset, chain_sha256, cgw_id, vgw_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            gateway, seq, state, run, seen,
            StoredContent.value(
                json: content?.canonicalJSON,
                row: StoredContent.Row(
                    kind: kind.rawValue, id: gatewayID.rawValue, idValue: content?.identityValue,
                    createdAt: content?.createdAtText, updatedAt: content?.updatedAtText), deflater: deflater),
            StoredDigest.value(hex: hash),
            content?.identityValue, content?.createdAtText, created?.instant.storageValue,
            created.flatMap(Self.offsetValue), content?.updatedAtText, updated?.instant.storageValue,
            updated.flatMap(Self.offsetValue), StoredDigest.value(hex: chain),
            content?.link(to: .customerGateway)?.rawValue, content?.link(to: .vpnGateway)?.rawValue,
        ])
        let snapshot = db.lastInsertedRowID
        guard marksResource else { return snapshot }
        try db.cachedStatement(
            sql: "UPDATE gateway SET last_run = ?, last_seen = ?, operational = COALESCE(?, operational) WHERE id = ?"
        ).execute(arguments: [run, seen, content?.operationalJSON, gateway])
        return snapshot
    }

    private static func offsetValue(_ timestamp: Timestamp) -> Int? {
        timestamp.offset.isStated ? timestamp.offset.seconds : nil
    }

    func insertChange(
        snapshot: Int64, ordinal: Int, kind: ChangeKind, field: String, old: String?, new: String?
    )
        throws
    {
        try db.cachedStatement(
            sql: "INSERT INTO change (snapshot, ordinal, change, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [snapshot, ordinal, kind, field, old, new])
    }
}
