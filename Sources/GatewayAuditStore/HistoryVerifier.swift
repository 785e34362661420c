import Crypto
import Foundation
import GRDB
import GatewayAuditCore

/// Recomputes every gateway's snapshot chain, the stored field changes, every run record and the
/// chain head recorded by the last finished run.
///
/// The field changes are recomputed with the diff it is given (the collector's own), so the store
/// never depends on the analysis code it verifies.
public struct HistoryVerifier: Sendable {
    /// Field changes between two canonical contents, as the collector computed them.
    public typealias Diff = @Sendable (_ old: JSONValue, _ new: JSONValue) -> [FieldChange]

    let database: HistoryDatabase
    let diff: Diff

    /// Creates a verifier over `database` that recomputes changes with `diff`.
    public init(_ database: HistoryDatabase, diff: @escaping Diff) {
        self.database = database
        self.diff = diff
    }

    /// Verifies the whole history.
    /// - Throws: ``StoreError`` when the database cannot be read, or holds a value this build does not know.
    public func verify() throws(StoreError) -> HistoryVerification {
        let path = database.path
        return try database.read { db in
            var snapshots = SnapshotChainCheck(db: db, path: path, diff: diff)
            try snapshots.run()
            var problems = snapshots.problems
            var runs = 0
            // Runs sealed before scopes chain over the whole history, later ones within their scope.
            var previousRecord = ""
            var previousInScope: [ScopeKey: String] = [:]
            var lastOfScope: [ScopeKey: (head: String?, scoped: Bool, unfinished: Bool, final: Bool)] = [:]
            let runRows = try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id")
            let lastIndexOfScope = Dictionary(
                runRows.enumerated().map { (ScopeKey(row: $0.element), $0.offset) }, uniquingKeysWith: max)
            for (index, run) in runRows.enumerated() {
                runs += 1
                let id: Int64 = run["id"]
                let scope = ScopeKey(row: run)
                let scoped = RunRecordChain.isScoped(version: run["record_version"] ?? 1)
                guard let record = run["record_sha256"] as String? else {
                    let status = try run.stored(RunStatus.self, "status", table: "run", path: path)
                    if lastIndexOfScope[scope] == index && status == .running {
                        lastOfScope[scope] = (nil, scoped, true, index == runRows.count - 1)
                    } else {
                        problems.append(.init(area: .run, gatewayID: nil, item: id, detail: "record hash is missing"))
                    }
                    continue
                }
                let previous = scoped ? previousInScope[scope] ?? "" : previousRecord
                if try RunRecordChain.record(run, previous: previous, path: path) != record {
                    problems.append(
                        .init(
                            area: .run, gatewayID: nil, item: id,
                            detail: "record differs from its hash: a time, status, count, endpoint or head was edited, "
                                + "or an earlier run was removed"))
                }
                previousRecord = record
                previousInScope[scope] = record
                lastOfScope[scope] = (run["chain_head"], scoped, false, index == runRows.count - 1)
            }
            let head = try RunRecordChain.head(db)
            for (scope, last) in lastOfScope.sorted(by: { $0.key < $1.key }) {
                // A head over the whole history (before scopes) still holds only if no run came after it.
                guard let lastHead = last.head, !last.unfinished, last.scoped || last.final else { continue }
                let expected = try last.scoped ? RunRecordChain.head(db, scope: scope) : head
                if lastHead != expected {
                    let which = lastOfScope.count > 1 ? " of scope \(scope)" : ""
                    problems.append(
                        .init(
                            area: .head, gatewayID: nil, item: nil,
                            detail: "the last run\(which) recorded \(lastHead) but the snapshots give \(expected): "
                                + "a snapshot was added or removed outside a run"))
                }
            }
            return HistoryVerification(chainHead: head, problems: problems, snapshots: snapshots.count, runs: runs)
        }
    }
}

/// Walks every snapshot by gateway and sequence, recomputing content hashes, chain links and changes.
private struct SnapshotChainCheck {
    let db: Database
    let path: String
    let diff: HistoryVerifier.Diff
    var problems: [HistoryVerification.Problem] = []
    var count = 0
    private var currentGateway: String?
    private var previousLink = SnapshotChain.genesis
    private var expectedSeq: Int64 = 1
    private var lastPresent: Resource?
    private var brokenGateway = false

    init(db: Database, path: String, diff: @escaping HistoryVerifier.Diff) {
        self.db = db
        self.path = path
        self.diff = diff
    }

    mutating func run() throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT g.gateway_id, g.kind, s.id, s.seq, s.state, s.first_run, s.first_seen, s.content, s.content_sha256,
                    s.chain_sha256
                FROM snapshot s JOIN gateway g ON g.id = s.gateway ORDER BY g.gateway_id, s.seq
                """)
        while let row = try rows.next() {
            count += 1
            try check(row)
        }
    }

    private mutating func check(_ row: Row) throws {
        let gatewayText: String = row["gateway_id"]
        if gatewayText != currentGateway {
            currentGateway = gatewayText
            previousLink = SnapshotChain.genesis
            expectedSeq = 1
            lastPresent = nil
            brokenGateway = false
        }
        if brokenGateway { return }
        let gatewayID = GatewayID(gatewayText)
        let seq: Int64 = row["seq"]
        if seq != expectedSeq {
            fail(
                gatewayID, seq,
                seq > expectedSeq
                    ? "snapshot \(expectedSeq) is missing (next stored is \(seq))"
                    : "sequence repeats or is out of order")
            return
        }
        expectedSeq += 1
        let state = try row.stored(SnapshotState.self, "state", table: "snapshot", path: path)
        let kind = try row.stored(ResourceKind.self, "kind", table: "gateway", path: path)
        let content: String? = row["content"]
        let storedHash: String? = row["content_sha256"]
        if content.map({ SHA256.hash(data: Data($0.utf8)).hexString }) != storedHash {
            fail(gatewayID, seq, "content does not match its stored SHA-256 (content was edited)")
            return
        }
        let link = SnapshotChain.link(
            previous: previousLink, gatewayID: gatewayID, seq: seq, state: state, firstRun: row["first_run"],
            firstSeen: row.instant("first_seen"), contentSHA256: storedHash, kind: kind)
        if link != (row["chain_sha256"] as String) {
            fail(
                gatewayID, seq,
                "chain link differs: its content, state, kind, first run, first-seen time or predecessor was changed")
            return
        }
        previousLink = link
        let current = try content.map { try Resource(kind: kind, data: Data($0.utf8)) }
        if let current, let lastPresent {
            try compareChanges(snapshot: row["id"], gatewayID: gatewayID, seq: seq, from: lastPresent, to: current)
        }
        if let current { lastPresent = current }
    }

    private mutating func compareChanges(
        snapshot: Int64, gatewayID: GatewayID, seq: Int64, from old: Resource, to new: Resource
    ) throws {
        func line(_ kind: String, _ field: String, _ old: String?, _ new: String?) -> String {
            "\(kind)|\(field)|\(old ?? "\u{0}")|\(new ?? "\u{0}")"
        }
        let expected = diff(old.canonicalContent, new.canonicalContent).map {
            line($0.kind.rawValue, $0.path, $0.oldValue, $0.newValue)
        }
        let stored = try Row.fetchAll(
            db,
            sql: """
                SELECT change, field, old_value, new_value FROM change
                WHERE snapshot = ? AND change IN \(ChangeKind.fieldChangesSQL) ORDER BY ordinal
                """, arguments: [snapshot]
        ).map { line($0["change"], $0["field"], $0["old_value"], $0["new_value"]) }
        if expected != stored {
            problems.append(
                .init(
                    area: .change, gatewayID: gatewayID, item: seq,
                    detail:
                        "stored field changes differ from the snapshots (\(stored.count) stored, \(expected.count) recomputed)"
                ))
        }
    }

    private mutating func fail(_ gatewayID: GatewayID, _ seq: Int64, _ detail: String) {
        problems.append(.init(area: .snapshot, gatewayID: gatewayID, item: seq, detail: detail))
        brokenGateway = true
    }
}
