import Crypto
import Foundation
import GRDB

/// What `verify` found in a database.
public struct HistoryVerification: Sendable, Hashable {
    /// One broken link or inconsistency, named precisely.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// `snapshot`, `change`, `run` or `head`.
        public let area: String
        /// Which gateway (for snapshot and change problems).
        public let gatewayID: GatewayID?
        /// Which snapshot seq or run id.
        public let item: Int64?
        /// What differs.
        public let detail: String

        public var description: String {
            switch area {
            case "run": return "run \(item.map(String.init) ?? "?"): \(detail)"
            case "head": return "chain head: \(detail)"
            default: return "gateway \(gatewayID?.rawValue ?? "?") snapshot \(item.map(String.init) ?? "?"): \(detail)"
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

extension SQLiteStore {
    /// Recomputes every gateway's snapshot chain, the derived change rows, every run record and the
    /// chain head recorded by the last finished run.
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func verifyHistory() throws(StoreError) -> HistoryVerification {
        try read { db in
            var problems: [HistoryVerification.Problem] = []
            var snapshots = 0
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT g.gateway_id, s.id, s.seq, s.state, s.first_run, s.first_seen, s.content, s.content_sha256,
                        s.chain_sha256
                    FROM snapshot s JOIN gateway g ON g.id = s.gateway ORDER BY g.gateway_id, s.seq
                    """)
            var currentGateway: String?
            var previousLink = SnapshotChain.genesis
            var expectedSeq: Int64 = 1
            var lastPresent: CustomerGateway?
            var brokenGateway = false
            while let row = try rows.next() {
                snapshots += 1
                let gatewayText: String = row[0]
                if gatewayText != currentGateway {
                    currentGateway = gatewayText
                    previousLink = SnapshotChain.genesis
                    expectedSeq = 1
                    lastPresent = nil
                    brokenGateway = false
                }
                if brokenGateway { continue }
                let gatewayID = GatewayID(gatewayText)
                let seq: Int64 = row[2]
                func fail(_ detail: String) {
                    problems.append(.init(area: "snapshot", gatewayID: gatewayID, item: seq, detail: detail))
                    brokenGateway = true
                }
                if seq != expectedSeq {
                    fail(seq > expectedSeq ? "snapshot \(expectedSeq) is missing (next stored is \(seq))" : "sequence repeats or is out of order")
                    continue
                }
                expectedSeq += 1
                let state = SnapshotState(rawValue: row[3]) ?? .present
                let content: String? = row[6]
                let storedHash: String? = row[7]
                let computedHash = content.map { SHA256.hexDigest(of: Data($0.utf8)) }
                if computedHash != storedHash {
                    fail("content does not match its stored SHA-256 (content was edited)")
                    continue
                }
                let link = SnapshotChain.link(
                    previous: previousLink, gatewayID: gatewayID, seq: seq, state: state, firstRun: row[4],
                    firstSeen: Instant(nanosecondsSinceEpoch: row[5]), contentSHA256: storedHash)
                if link != (row[8] as String) {
                    fail("chain link differs: its content, state, first run, first-seen time or predecessor was changed")
                    continue
                }
                previousLink = link
                let current = try content.map { try CustomerGateway(data: Data($0.utf8)) }
                if let current, let lastPresent {
                    let expected = FieldDiff.changes(from: lastPresent.canonicalContent, to: current.canonicalContent)
                        .map { "\($0.kind.rawValue)|\($0.path)|\($0.oldValue ?? "\u{0}")|\($0.newValue ?? "\u{0}")" }
                    let stored = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT change, field, old_value, new_value FROM change
                            WHERE snapshot = ? AND change IN ('added', 'modified', 'removed') ORDER BY ordinal
                            """, arguments: [row[1] as Int64]
                    ).map { r -> String in
                        let old: String? = r[2]
                        let new: String? = r[3]
                        return "\(r[0] as String)|\(r[1] as String)|\(old ?? "\u{0}")|\(new ?? "\u{0}")"
                    }
                    if expected != stored {
                        problems.append(.init(area: "change", gatewayID: gatewayID, item: seq,
                            detail: "stored field changes differ from the snapshots (\(stored.count) stored, \(expected.count) recomputed)"))
                    }
                }
                if let current { lastPresent = current }
            }

            var runs = 0
            var previousRecord = ""
            var lastHead: String?
            var unfinished = false
            let runRows = try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id")
            for (index, run) in runRows.enumerated() {
                runs += 1
                let id: Int64 = run["id"]
                let record: String? = run["record_sha256"]
                guard let record else {
                    if index == runRows.count - 1 && (run["status"] as String) == RunStatus.running.rawValue {
                        unfinished = true
                    } else {
                        problems.append(.init(area: "run", gatewayID: nil, item: id, detail: "record hash is missing"))
                    }
                    continue
                }
                if RunRecordChain.record(run, previous: previousRecord) != record {
                    problems.append(.init(area: "run", gatewayID: nil, item: id,
                        detail: "record differs from its hash: a time, status, count, endpoint or head was edited, or an earlier run was removed"))
                }
                previousRecord = record
                lastHead = run["chain_head"]
            }
            let head = try RunRecordChain.head(db)
            if let lastHead, !unfinished, lastHead != head {
                problems.append(.init(area: "head", gatewayID: nil, item: nil,
                    detail: "the last run recorded \(lastHead) but the snapshots give \(head): a snapshot was added or removed outside a run"))
            }
            return HistoryVerification(chainHead: head, problems: problems, snapshots: snapshots, runs: runs)
        }
    }

    /// The current chain head: the one the latest run sealed when no run is in progress (snapshots are
    /// only written by runs), else recomputed. ``verifyHistory()`` always recomputes.
    /// - Throws: ``StoreError``.
    public func chainHead() throws(StoreError) -> String {
        try read { db in
            if let latest = try Row.fetchOne(db, sql: "SELECT status, chain_head FROM run ORDER BY id DESC LIMIT 1"),
                (latest["status"] as String) != RunStatus.running.rawValue, let head = latest["chain_head"] as String?
            {
                return head
            }
            return try RunRecordChain.head(db)
        }
    }

    /// True when some finished run recorded `head`: an export made with that head belongs to this history.
    /// - Throws: ``StoreError``.
    public func recordedHead(_ head: String) throws(StoreError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE chain_head = ?)", arguments: [head]) ?? false
        }
    }
}
