import Foundation
import GRDB

/// Applies observations to the snapshot history inside one write transaction.
struct SnapshotRecorder {
    let db: Database
    let run: Int64
    let detector: AnomalyDetector

    init(db: Database, run: Int64, detector: AnomalyDetector) {
        self.db = db
        self.run = run
        self.detector = detector
    }

    private struct Latest {
        let id: Int64
        let seq: Int64
        let state: SnapshotState
        let contentSHA256: String?
        let chain: String
        let lastRun: Int64?
        let lastSeen: Int64?
    }

    /// Gateway rows and latest snapshots of the batch, read in one query instead of two per observation.
    private var known: [GatewayID: (row: Int64, latest: Latest?)] = [:]
    /// Ids of the batch that have no row yet: their first observation needs no lookups.
    private var unknown: Set<GatewayID> = []

    mutating func prefetch(_ ids: [GatewayID]) throws {
        let unique = Array(Set(ids))
        unknown = Set(unique)
        for start in stride(from: 0, to: unique.count, by: 500) {
            let slice = unique[start..<min(start + 500, unique.count)]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.gateway_id, g.id, s.id, s.seq, s.state, s.content_sha256, s.chain_sha256, g.last_run,
                        g.last_seen
                    FROM gateway g LEFT JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                    WHERE g.gateway_id IN (\(Array(repeating: "?", count: slice.count).joined(separator: ",")))
                    """, arguments: StatementArguments(slice.map(\.rawValue)))
            for row in rows {
                let snapshot: Int64? = row[2]
                let latest = snapshot.map { id in
                    Latest(
                        id: id, seq: row[3], state: SnapshotState(rawValue: row[4]) ?? .present, contentSHA256: row[5],
                        chain: row[6], lastRun: row[7], lastSeen: row[8])
                }
                known[GatewayID(row[0])] = (row[1], latest)
                unknown.remove(GatewayID(row[0]))
            }
        }
    }

    mutating func record(_ observation: Observation) throws -> ObservationOutcome {
        let gateway: Int64
        let latest: Latest?
        let isNew = unknown.remove(observation.gatewayID) != nil
        if let cached = known[observation.gatewayID] {
            (gateway, latest) = cached
        } else if isNew {
            try db.cachedStatement(sql: "INSERT INTO gateway (gateway_id) VALUES (?)").execute(arguments: [observation.gatewayID.rawValue])
            gateway = db.lastInsertedRowID
            latest = nil
        } else {
            gateway = try gatewayRow(observation.gatewayID)
            latest = try latestSnapshot(gateway)
        }
        // Later observations of the same gateway in this batch must see what this one writes.
        known[observation.gatewayID] = nil
        let seen = observation.observedAt.storageValue
        switch observation.result {
        case .failed(let reason):
            try db.execute(
                sql: "INSERT OR REPLACE INTO failed_observation (run, gateway, observed_at, error) VALUES (?, ?, ?, ?)",
                arguments: [run, gateway, seen, reason])
            return .failed
        case .gone:
            if let latest, latest.state == .gone {
                try extend(gateway: gateway, seen: seen)
                return .stillGone
            }
            let snapshot = try insertSnapshot(
                gateway: gateway, gatewayID: observation.gatewayID, after: latest, state: .gone, content: nil,
                canonical: nil, seen: seen)
            try insertChange(snapshot: snapshot, ordinal: 0, kind: "gone", field: "", old: nil, new: nil)
            return .gone
        case .present(let current):
            let canonical = current.canonicalJSON
            let hash = current.contentSHA256
            if let latest, latest.state == .present, latest.contentSHA256 == hash {
                try extend(gateway: gateway, seen: seen)
                return .unchanged
            }
            let previous = isNew ? nil : try lastPresentContent(gateway)
            let snapshot = try insertSnapshot(
                gateway: gateway, gatewayID: observation.gatewayID, after: latest, state: .present, content: current,
                canonical: (canonical, hash), seen: seen)
            let changes = previous.map { FieldDiff.changes(from: $0.canonicalContent, to: current.canonicalContent) } ?? []
            var ordinal = 0
            let outcome: ObservationOutcome
            if latest == nil {
                let recreated = try recreatedGateway(idValue: current.idValue ?? current.ip, excluding: gateway)
                try insertChange(snapshot: snapshot, ordinal: 0, kind: "first-seen", field: "", old: recreated, new: nil)
                ordinal = 1
                outcome = .new
            } else if latest?.state == .gone {
                try insertChange(snapshot: snapshot, ordinal: 0, kind: "reappeared", field: "", old: nil, new: nil)
                ordinal = 1
                outcome = .reappeared
            } else {
                outcome = .changed
            }
            for change in changes {
                try insertChange(
                    snapshot: snapshot, ordinal: ordinal, kind: change.kind.rawValue, field: change.path,
                    old: change.oldValue, new: change.newValue)
                ordinal += 1
            }
            let anomalies = detector.anomalies(
                current: current, previous: previous, observedAt: observation.observedAt, changes: changes)
            for anomaly in anomalies {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO anomaly (snapshot, field, kind, detail) VALUES (?, ?, ?, ?)",
                    arguments: [snapshot, anomaly.field, anomaly.kind.rawValue, anomaly.detail])
            }
            return outcome
        }
    }

    private func gatewayRow(_ id: GatewayID) throws -> Int64 {
        if let row = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM gateway WHERE gateway_id = ?"), arguments: [id.rawValue])
        {
            return row
        }
        try db.cachedStatement(sql: "INSERT INTO gateway (gateway_id) VALUES (?)").execute(arguments: [id.rawValue])
        return db.lastInsertedRowID
    }

    private func latestSnapshot(_ gateway: Int64) throws -> Latest? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT s.id, s.seq, s.state, s.content_sha256, s.chain_sha256, g.last_run, g.last_seen
                FROM gateway g JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL WHERE g.id = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [gateway]) else { return nil }
        return Latest(
            id: row[0], seq: row[1], state: SnapshotState(rawValue: row[2]) ?? .present, contentSHA256: row[3],
            chain: row[4], lastRun: row[5], lastSeen: row[6])
    }

    private func lastPresentContent(_ gateway: Int64) throws -> CustomerGateway? {
        let statement = try db.cachedStatement(
            sql: "SELECT content FROM snapshot WHERE gateway = ? AND state = 'present' ORDER BY seq DESC LIMIT 1")
        guard let content = try String.fetchOne(statement, arguments: [gateway]) else { return nil }
        return try CustomerGateway(data: Data(content.utf8))
    }

    /// The gateway's current snapshot was seen again: move its last-seen mark (kept on the gateway row).
    private func extend(gateway: Int64, seen: Int64) throws {
        try db.cachedStatement(
            sql: "UPDATE gateway SET last_run = ?, last_seen = ? WHERE id = ? AND (last_seen IS NULL OR last_seen <= ?)"
        ).execute(arguments: [run, seen, gateway, seen])
    }

    private func insertSnapshot(
        gateway: Int64, gatewayID: GatewayID, after latest: Latest?, state: SnapshotState, content: CustomerGateway?,
        canonical: (json: String, sha256: String)?, seen: Int64
    ) throws -> Int64 {
        let seq = (latest?.seq ?? 0) + 1
        let hash = canonical?.sha256
        let chain = SnapshotChain.link(
            previous: latest?.chain ?? SnapshotChain.genesis, gatewayID: gatewayID, seq: seq, state: state,
            firstRun: run, firstSeen: Instant(nanosecondsSinceEpoch: seen), contentSHA256: hash)
        let created = content?.createdAt
        let updated = content?.updatedAt
        if let latest {
            // Close the superseded snapshot with the last observation that saw it.
            try db.cachedStatement(sql: "UPDATE snapshot SET last_run = ?, last_seen = ? WHERE id = ?")
                .execute(arguments: [latest.lastRun ?? run, latest.lastSeen ?? seen, latest.id])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO snapshot (gateway, seq, state, first_run, first_seen, content,
                    content_sha256, id_value, created_at_raw, created_at_utc, created_at_offset,
                    updated_at_raw, updated_at_utc, updated_at_offset, chain_sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            gateway, seq, state.rawValue, run, seen, canonical?.json, hash,
            content?.idValue ?? content?.ip,
            content?.createdAtText, created?.instant.storageValue, created.flatMap(Self.offsetValue),
            content?.updatedAtText, updated?.instant.storageValue, updated.flatMap(Self.offsetValue), chain,
        ])
        let snapshot = db.lastInsertedRowID
        try db.cachedStatement(sql: "UPDATE gateway SET last_run = ?, last_seen = ? WHERE id = ?")
            .execute(arguments: [run, seen, gateway])
        return snapshot
    }

    private static func offsetValue(_ timestamp: Timestamp) -> Int? {
        timestamp.offset.isStated ? timestamp.offset.seconds : nil
    }

    private func insertChange(
        snapshot: Int64, ordinal: Int, kind: String, field: String, old: String?, new: String?
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO change (snapshot, ordinal, change, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [snapshot, ordinal, kind, field, old, new])
    }

    /// A gone gateway with the same `id_value`: this one is its recreation under a new id.
    private func recreatedGateway(idValue: String?, excluding gateway: Int64) throws -> String? {
        guard let idValue else { return nil }
        return try String.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT g.gateway_id FROM gateway g
                    JOIN snapshot s ON s.gateway = g.id AND s.last_seen IS NULL
                    WHERE s.state = 'gone' AND g.id <> ?
                        AND g.id IN (SELECT gateway FROM snapshot WHERE id_value = ?)
                    ORDER BY s.first_seen DESC LIMIT 1
                    """),
            arguments: [gateway, idValue])
    }
}
