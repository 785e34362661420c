import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// "What changed last night": the digest of a range of runs, per resource — field changes old → new
/// with their windows, new / gone / reappeared, anomalies and failed observations — as plain text
/// (cron mail, chat), e-mail-safe HTML (``html``) or NDJSON (``json``). Empty when nothing happened.
public struct DigestPage: Sendable {
    /// One resource and what happened to it, in the order first reported.
    public struct Resource: Sendable {
        /// The resource.
        public let gatewayID: GatewayID
        /// Its latest known name.
        public let name: String?
        /// Its change rows and events in the runs.
        public var changes: [ChangeRow] = []
        /// Its failed observations in the runs.
        public var failures: [FailedObservation] = []
        /// Its anomalies in the runs.
        public var anomalies: [StoredAnomaly] = []
    }

    /// The first run included.
    public let firstRun: Int64
    /// The last run included.
    public let lastRun: Int64
    /// The zone of every time.
    public let zone: Zone
    /// The resources, in the order first reported.
    public let resources: [Resource]
    let cells: ReportCells

    /// Groups what runs `firstRun...lastRun` found by resource; `names` gives each resource's name.
    public init(
        firstRun: Int64, lastRun: Int64, changes: [ChangeRow], failures: [FailedObservation],
        anomalies: [StoredAnomaly], names: [GatewayID: String], zone: Zone
    ) {
        var order: [GatewayID] = []
        var byID: [GatewayID: Resource] = [:]
        func touch(_ id: GatewayID) {
            if byID[id] == nil {
                order.append(id)
                byID[id] = Resource(gatewayID: id, name: names[id])
            }
        }
        for row in changes {
            touch(row.gatewayID)
            byID[row.gatewayID]?.changes.append(row)
        }
        for failure in failures {
            touch(failure.gatewayID)
            byID[failure.gatewayID]?.failures.append(failure)
        }
        for anomaly in anomalies {
            touch(anomaly.gatewayID)
            byID[anomaly.gatewayID]?.anomalies.append(anomaly)
        }
        self.firstRun = firstRun
        self.lastRun = lastRun
        self.zone = zone
        resources = order.compactMap { byID[$0] }
        cells = ReportCells(zone: zone)
    }

    /// True when the runs found nothing to report: then nothing is printed.
    public var isEmpty: Bool { resources.isEmpty }

    /// The runs in words: `run 31` or `runs 28–31`.
    var runsText: String { firstRun == lastRun ? "run \(lastRun)" : "runs \(firstRun)–\(lastRun)" }

    /// Counts for the headline, zero counts left out.
    var headline: String {
        let all = resources.flatMap(\.changes)
        let counts: [(Int, String)] = [
            (resources.count, "resource(s)"), (all.filter { !$0.field.isEmpty }.count, "field change(s)"),
            (all.filter { $0.change == .firstSeen }.count, "new"), (all.filter { $0.change == .gone }.count, "gone"),
            (all.filter { $0.change == .reappeared }.count, "reappeared"),
            (resources.reduce(0) { $0 + $1.anomalies.count }, "anomaly(ies)"),
            (resources.reduce(0) { $0 + $1.failures.count }, "failed observation(s)"),
        ]
        return counts.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: " · ")
    }

    /// One line in words for a change row: `name modified: "a" → "b"`, `gone`, `first-seen`.
    func describe(_ row: ChangeRow) -> String {
        switch row.change {
        case .added, .modified, .removed:
            return
                "\(TerminalText.line(row.field)) \(row.change.rawValue): \(DigestPage.quoted(row.oldValue)) → "
                + DigestPage.quoted(row.newValue)
        case .firstSeen:
            return "new" + (row.oldValue.map { " (recreates gone \(TerminalText.line($0)))" } ?? "")
        case .gone, .reappeared:
            return row.change.rawValue
        }
    }

    /// The window of a change row in words.
    func window(_ row: ChangeRow) -> String {
        row.lastSeenBefore.map { "between \(cells.time($0)) and \(cells.time(row.firstSeenAfter))" }
            ?? "first seen \(cells.time(row.firstSeenAfter))"
    }

    /// A value in quotes, at most 80 characters, on one line (``TerminalText``); `∅` when absent.
    static func quoted(_ value: String?) -> String {
        guard let value else { return "∅" }
        let flat = TerminalText.line(value)
        return "\"" + (flat.count > 80 ? String(flat.prefix(79)) + "…" : flat) + "\""
    }
}
