import GatewayAuditCore

/// What the history holds about one gateway just before an observation is recorded: read by
/// ``HistoryWriter/priorStates(for:)`` so that diffs and anomalies are computed outside the store,
/// then handed back with the write. Valid while the run holds the run lock.
public struct PriorState: Sendable, Hashable {
    /// The gateway's current (open) snapshot.
    struct Latest: Sendable, Hashable {
        let snapshotRow: Int64
        let seq: Int64
        let state: SnapshotState
        /// The snapshot's content digest (nil for a tombstone) and chain link, as stored.
        let contentDigest: StoredHash?
        let chainDigest: StoredHash
        let lastRun: Int64?
        let lastSeen: Int64?

        /// The hex of the snapshot's chain link: the previous link of the snapshot that follows it.
        var chain: String { chainDigest.hex }
    }

    /// The gateway's row, nil for a gateway never seen before.
    let gatewayRow: Int64?
    let latest: Latest?
    /// The latest `status` the history holds for the resource (its window is the last one; open while
    /// the resource is present).
    var status: String? = nil
    /// The kind the history records for the id (nil for an id never seen).
    var kind: ResourceKind? = nil
    /// The content of the gateway's last present snapshot, loaded only when the observation's content
    /// differs from the latest snapshot (nil when there is none, or when nothing changed).
    public private(set) var previousContent: Resource?

    /// The resource of the observation this prior state was read for, and whether it brings the latest
    /// content again: the read decides that once, for every resource of every night, and the diff and the
    /// write ask again (``isUnchanged(by:)``). Held, not only identified, so no other resource can take its
    /// place in memory.
    private var checked: (resource: Resource, unchanged: Bool)?

    init(
        gatewayRow: Int64?, latest: Latest?, status: String? = nil, kind: ResourceKind? = nil,
        previousContent: Resource?
    ) {
        self.gatewayRow = gatewayRow
        self.latest = latest
        self.status = status
        self.kind = kind
        self.previousContent = previousContent
    }

    /// The state of the gateway's latest snapshot (nil: none yet).
    public var latestState: SnapshotState? { latest?.state }

    /// True when `observation` brings exactly the latest snapshot's content again.
    public func isUnchanged(by observation: Observation) -> Bool {
        guard case .present(let current) = observation.result else { return false }
        if let checked, checked.resource.isSameObject(as: current) { return checked.unchanged }
        guard let latest, latest.state == .present else { return false }
        return latest.contentDigest?.matches(hex: current.contentSHA256) ?? false
    }

    /// Remembers whether `observation` (the one this prior state was read for) leaves the content unchanged.
    mutating func check(_ observation: Observation) {
        guard case .present(let current) = observation.result else { return }
        checked = (current, isUnchanged(by: observation))
    }

    public static func == (lhs: PriorState, rhs: PriorState) -> Bool {
        lhs.gatewayRow == rhs.gatewayRow && lhs.latest == rhs.latest && lhs.status == rhs.status
            && lhs.kind == rhs.kind && lhs.previousContent == rhs.previousContent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(gatewayRow)
        hasher.combine(latest)
        hasher.combine(status)
        hasher.combine(kind)
        hasher.combine(previousContent)
    }
}

extension PriorState {
    /// What a store's read finds for one id: its row, kind, open snapshot and latest `status`.
    typealias Known = (row: Int64, kind: ResourceKind, latest: Latest?, status: String?)

    /// The prior state of `observation` from what the history holds for its id (nil: never seen), the
    /// verdict on its content kept, and the last present content loaded by `previousContent(row, kind)` only
    /// when the content differs. The same for both stores.
    /// - Throws: ``StoreError/invalidBatch(detail:)`` when the id is recorded as another kind.
    static func of(
        _ observation: Observation, known: Known?, previousContent: (Int64, ResourceKind) throws -> Resource?
    ) throws -> PriorState {
        guard let (row, kind, latest, status) = known else {
            return PriorState(gatewayRow: nil, latest: nil, previousContent: nil)
        }
        if case .present = observation.result, kind != observation.kind {
            // Only failed lookups were recorded for the id, under a kind guessed for it (`--id` with
            // several kinds): the row takes the kind the resource turned out to have.
            if latest == nil { return PriorState(gatewayRow: row, latest: nil, kind: nil, previousContent: nil) }
            throw StoreError.invalidBatch(
                detail:
                    "\(observation.kind.noun) \(observation.gatewayID): the id is already recorded as a \(kind.noun)"
            )
        }
        var prior = PriorState(gatewayRow: row, latest: latest, status: status, kind: kind, previousContent: nil)
        prior.check(observation)
        if case .present = observation.result, !prior.isUnchanged(by: observation) {
            prior.previousContent = try previousContent(row, kind)
        }
        return prior
    }
}
