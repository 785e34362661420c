import GatewayAuditCore
import GatewayAuditStore

/// The dashboard's first pass over the history: per-resource counts for the index and totals for the
/// summary, read by streaming the filter's change rows once (memory grows with resources, not rows).
struct DashboardOverview {
    /// What the index shows about one resource.
    struct Resource {
        let summary: GatewaySummary
        /// Change rows in range other than `first-seen` (field changes and gone/reappeared events).
        var changes = 0
        /// Whether the resource was first seen inside the range.
        var isNew = false
        /// The latest change in range: its window.
        var lastChange: (before: Instant?, after: Instant)?
        var anomalies = 0
        var failures = 0

        /// Resources with something to read open by default (and print open without the script).
        var needsAttention: Bool { changes > 0 || anomalies > 0 || failures > 0 }
    }

    /// Resources in index order: those with changes first (latest change first), then the others by id.
    let resources: [Resource]
    /// Field changes in range (rows with a field).
    let fieldChanges: Int
    /// Anomalies in range by kind, most frequent first.
    let anomalyKinds: [(kind: AnomalyKind, count: Int)]
    /// Failed observations in range.
    let failures: Int

    /// Reads the overview of `gateways` under `filter`; with `onlyWithRows`, keeps only the resources
    /// that have rows of the view (a time-filtered report leaves out resources quiet in the range).
    /// - Throws: ``StoreError``.
    init<Row: ReportRow>(
        store: any HistoryReading, gateways: [GatewaySummary], filter: ReportFilter, view: Row.Type,
        onlyWithRows: Bool
    ) throws {
        var byID: [GatewayID: Resource] = [:]
        for summary in gateways { byID[summary.gatewayID] = Resource(summary: summary) }
        var fieldChanges = 0
        try store.forEachChangeRow(filter) { row in
            guard byID[row.gatewayID] != nil else { return }
            if !row.field.isEmpty { fieldChanges += 1 }
            if row.change == .firstSeen {
                byID[row.gatewayID]?.isNew = true
            } else {
                byID[row.gatewayID]?.changes += 1
                if (byID[row.gatewayID]?.lastChange?.after).map({ $0 <= row.firstSeenAfter }) ?? true {
                    byID[row.gatewayID]?.lastChange = (row.lastSeenBefore, row.firstSeenAfter)
                }
            }
        }
        var kinds: [AnomalyKind: Int] = [:]
        for anomaly in try store.anomalies(filter) where byID[anomaly.gatewayID] != nil {
            byID[anomaly.gatewayID]?.anomalies += 1
            kinds[anomaly.kind, default: 0] += 1
        }
        let failed = try store.failedObservations(filter).filter { byID[$0.gatewayID] != nil }
        for failure in failed { byID[failure.gatewayID]?.failures += 1 }
        var keep: Set<GatewayID>?
        if onlyWithRows {
            var ids = Set<GatewayID>()
            try Row.forEach(in: store, filter) { ids.insert($0.gatewayID) }
            keep = ids
        }
        resources = gateways.compactMap { summary in
            keep.map { $0.contains(summary.gatewayID) } ?? true ? byID[summary.gatewayID] : nil
        }.sorted(by: DashboardOverview.indexOrder)
        self.fieldChanges = fieldChanges
        anomalyKinds = kinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
            .map { (kind: $0.key, count: $0.value) }
        failures = failed.count
    }

    private static func indexOrder(_ a: Resource, _ b: Resource) -> Bool {
        switch (a.lastChange?.after, b.lastChange?.after) {
        case (let x?, let y?) where x != y: return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.summary.gatewayID.rawValue < b.summary.gatewayID.rawValue
        }
    }

    /// Present resources (latest state).
    var present: Int { resources.filter { $0.summary.state == .present }.count }
    /// Gone resources (latest state).
    var gone: Int { resources.filter { $0.summary.state == .gone }.count }
    /// Resources first seen in range.
    var new: Int { resources.filter(\.isNew).count }
    /// Resources with at least one change in range.
    var changed: Int { resources.filter { $0.changes > 0 }.count }
    /// Anomalies in range.
    var anomalies: Int { anomalyKinds.reduce(0) { $0 + $1.count } }
}
