import Crypto
import Foundation
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
        let diff = diff
        if let session = database.postgres {
            do {
                return try session.withConnection { connection in
                    try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    defer { _ = try? connection.execute("COMMIT") }
                    return try Self.verify(PostgresVerificationSource(connection: connection), path: path, diff: diff)
                }
            } catch {
                throw StoreError.mapped(error, path: path)
            }
        }
        return try database.read { db in
            try Self.verify(SQLiteVerificationSource(db: db, path: path), path: path, diff: diff)
        }
    }

    /// The checks, whatever the store: every snapshot chain, then every run record and each scope's head.
    static func verify(_ source: some VerificationSource, path: String, diff: @escaping Diff) throws
        -> HistoryVerification
    {
        var snapshots = SnapshotChainCheck(source: source, path: path, diff: diff)
        try source.forEachSnapshot { try snapshots.check($0) }
        var problems = snapshots.problems
        var runs = 0
        // Runs sealed before scopes chain over the whole history, later ones within their scope.
        var previousRecord = ""
        var previousInScope: [ScopeKey: String] = [:]
        var lastOfScope: [ScopeKey: (run: Int64, head: String?, scoped: Bool, unfinished: Bool, final: Bool)] = [:]
        let runRows = try source.runs()
        let lastIndexOfScope = Dictionary(
            runRows.enumerated().map { ($0.element.scope, $0.offset) }, uniquingKeysWith: max)
        for (index, run) in runRows.enumerated() {
            runs += 1
            let scope = run.scope
            let scoped = RunRecordChain.isScoped(version: run.version)
            guard let record = run.recordSHA256 else {
                guard let status = RunStatus(rawValue: run.status) else {
                    throw StoreError.unknownValue(path: path, table: "run", column: "status", value: run.status)
                }
                if lastIndexOfScope[scope] == index && status == .running {
                    lastOfScope[scope] = (run.id, nil, scoped, true, index == runRows.count - 1)
                } else {
                    problems.append(.init(area: .run, gatewayID: nil, item: run.id, detail: "record hash is missing"))
                }
                continue
            }
            let previous = scoped ? previousInScope[scope] ?? "" : previousRecord
            if try run.record(previous) != record {
                problems.append(
                    .init(
                        area: .run, gatewayID: nil, item: run.id,
                        detail: "record differs from its hash: a time, status, count, endpoint or head was edited, "
                            + "or an earlier run was removed"))
            }
            previousRecord = record
            previousInScope[scope] = record
            lastOfScope[scope] = (run.id, run.chainHead, scoped, false, index == runRows.count - 1)
        }
        let head = try source.head(scope: nil, sealed: nil)
        for (scope, last) in lastOfScope.sorted(by: { $0.key < $1.key }) {
            // A head over the whole history (before scopes) still holds only if no run came after it.
            guard let lastHead = last.head, !last.unfinished, last.scoped || last.final else { continue }
            // Resources that left the scope for another since its last run count as that run counted them.
            let expected = try last.scoped ? source.head(scope: scope, sealed: last.run) : head
            if lastHead != expected {
                let which = lastOfScope.count > 1 ? " of scope \(scope)" : ""
                problems.append(
                    .init(
                        area: .head, gatewayID: nil, item: nil,
                        detail: "the last run\(which) recorded \(lastHead) but the snapshots give \(expected): "
                            + "a snapshot was added or removed outside a run"))
            }
        }
        problems += departureProblems(try source.departures())
        problems += missingRunProblems(try source.missingRuns())
        return HistoryVerification(chainHead: head, problems: problems, snapshots: snapshots.count, runs: runs)
    }
}

/// Walks every snapshot by gateway and sequence, recomputing content hashes, chain links and changes.
private struct SnapshotChainCheck<Source: VerificationSource> {
    let source: Source
    let path: String
    let diff: HistoryVerifier.Diff
    var problems: [HistoryVerification.Problem] = []
    var count = 0
    private var currentGateway: GatewayID?
    private var previousLink = SnapshotChain.genesis
    private var expectedSeq: Int64 = 1
    private var lastPresent: Resource?
    /// The state of the gateway's previous snapshot (nil before its first).
    private var previousState: SnapshotState?
    private var brokenGateway = false

    init(source: Source, path: String, diff: @escaping HistoryVerifier.Diff) {
        self.source = source
        self.path = path
        self.diff = diff
    }

    mutating func check(_ row: VerifiedSnapshot) throws {
        count += 1
        // `GatewayID` compares the bytes, as the store tells resources apart.
        let gatewayID = GatewayID(row.gatewayID)
        if gatewayID != currentGateway {
            currentGateway = gatewayID
            previousLink = SnapshotChain.genesis
            expectedSeq = 1
            lastPresent = nil
            previousState = nil
            brokenGateway = false
        }
        if brokenGateway { return }
        let seq = row.seq
        if seq != expectedSeq {
            fail(
                gatewayID, seq,
                seq > expectedSeq
                    ? "snapshot \(expectedSeq) is missing (next stored is \(seq))"
                    : "sequence repeats or is out of order")
            return
        }
        expectedSeq += 1
        guard let state = SnapshotState(rawValue: row.state) else {
            throw StoreError.unknownValue(path: path, table: "snapshot", column: "state", value: row.state)
        }
        guard let kind = ResourceKind(rawValue: row.kind) else {
            throw StoreError.unknownValue(path: path, table: "gateway", column: "kind", value: row.kind)
        }
        let content = row.content
        let storedHash = row.contentSHA256
        if content.map({ SHA256.hash(data: Data($0.utf8)).hexString }) != storedHash {
            fail(gatewayID, seq, "content does not match its stored SHA-256 (content was edited)")
            return
        }
        let link = SnapshotChain.link(
            previous: previousLink, gatewayID: gatewayID, seq: seq, state: state, firstRun: row.firstRun,
            firstSeen: Instant(nanosecondsSinceEpoch: row.firstSeen), contentSHA256: storedHash, kind: kind)
        if link != row.chainSHA256 {
            fail(
                gatewayID, seq,
                "chain link differs: its content, state, kind, first run, first-seen time or predecessor was changed")
            return
        }
        previousLink = link
        let current = try content.map { try Resource(kind: kind, data: Data($0.utf8)) }
        try compareChanges(snapshot: row.id, gatewayID: gatewayID, seq: seq, state: state, current: current)
        if let current { lastPresent = current }
        previousState = state
    }

    /// Compares a snapshot's stored change rows with the ones its place in the chain implies: `first-seen`
    /// for a first present snapshot, `gone` for a tombstone, `reappeared` for a present one after a
    /// tombstone, then the field changes from the last present content (the changes export is built from
    /// these rows: an event added, removed or edited there is an altered history). A `first-seen` row's
    /// value (the gone resource it re-creates, looked up when it was recorded) is not recomputed.
    private mutating func compareChanges(
        snapshot: Int64, gatewayID: GatewayID, seq: Int64, state: SnapshotState, current: Resource?
    ) throws {
        func line(_ kind: String, _ field: String, _ old: String?, _ new: String?) -> String {
            "\(kind)|\(field)|\(old ?? "\u{0}")|\(new ?? "\u{0}")"
        }
        func event(_ kind: ChangeKind) -> String { line(kind.rawValue, "", nil, nil) }
        var expected: [String] = []
        switch (state, previousState) {
        case (.gone, _): expected.append(event(.gone))
        case (.present, nil): expected.append(event(.firstSeen))
        case (.present, .gone?): expected.append(event(.reappeared))
        case (.present, .present?): break
        }
        if let current, let lastPresent, previousState != nil {
            expected += diff(lastPresent.canonicalContent, current.canonicalContent).map {
                line($0.kind.rawValue, $0.path, $0.oldValue, $0.newValue)
            }
        }
        let stored = try source.changes(snapshot: snapshot).map { row in
            row.change == ChangeKind.firstSeen.rawValue
                ? line(row.change, row.field, nil, nil) : line(row.change, row.field, row.old, row.new)
        }
        if expected != stored {
            problems.append(
                .init(
                    area: .change, gatewayID: gatewayID, item: seq,
                    detail:
                        "stored changes differ from the snapshots (\(stored.count) stored, \(expected.count) recomputed)"
                ))
        }
    }

    private mutating func fail(_ gatewayID: GatewayID, _ seq: Int64, _ detail: String) {
        problems.append(.init(area: .snapshot, gatewayID: gatewayID, item: seq, detail: detail))
        brokenGateway = true
    }
}

extension HistoryVerifier {
    /// A run removed from the file: the records' chain may still hold (the last run, or a whole tail went),
    /// but the resources it observed still name it. One problem per run, naming the first reference.
    static func missingRunProblems(_ references: [(run: Int64, gatewayID: String, what: String)])
        -> [HistoryVerification.Problem]
    {
        Dictionary(grouping: references, by: \.run).sorted { $0.key < $1.key }.map { run, references in
            let others = references.count > 1 ? " and \(references.count - 1) more" : ""
            return .init(
                area: .run, gatewayID: nil, item: run,
                detail: "not in the history, but gateway \(references[0].gatewayID)'s \(references[0].what)\(others) "
                    + "name it: a run was removed")
        }
    }
}
