import Foundation
import GatewayAuditAnalyse
import GatewayAuditCore
import GatewayAuditStore

/// "When did this gateway change?": its changes with their windows and whether the API's own
/// `updated_at` falls inside each window, as a terminal table or as JSON.
public struct WhenChangedReport: Sendable {
    /// One change, ready for output.
    public struct Entry: Sendable, Hashable, Codable {
        /// What happened (a field change or a gateway event).
        public let change: ChangeKind
        /// The flattened field path; empty for gateway events.
        public let field: String
        /// Value before.
        public let oldValue: String?
        /// Value after.
        public let newValue: String?
        /// Last observation of the old state, in the zone (nil for first-seen).
        public let lastSeenBefore: String?
        /// First observation of the new state, in the zone.
        public let firstSeenAfter: String
        /// The run of `lastSeenBefore`.
        public let lastRunBefore: Int64?
        /// The run of `firstSeenAfter`.
        public let firstRunAfter: Int64
        /// The API's `updated_at` in the zone, as sent when it cannot be parsed.
        public let apiUpdatedAt: String?
        /// Whether `apiUpdatedAt` falls inside the window.
        public let updatedAtCheck: UpdatedAtCheck
        /// The gateway's account (estate file label; empty for single-scope runs).
        public let account: String
        /// The gateway's region.
        public let region: String
        /// The gateway's project id.
        public let projectID: String
        /// For a customer gateway: the connections that used it at the time, with their own changes in
        /// the same window (nil for other kinds).
        public var connections: [ConnectionUse]?

        enum CodingKeys: String, CodingKey {
            case change, field
            case oldValue = "old_value"
            case newValue = "new_value"
            case lastSeenBefore = "last_seen_before"
            case firstSeenAfter = "first_seen_after"
            case lastRunBefore = "last_run_before"
            case firstRunAfter = "first_run_after"
            case apiUpdatedAt = "api_updated_at"
            case updatedAtCheck = "updated_at_check"
            case connections
            case account, region
            case projectID = "project_id"
        }

    }

    /// Whether the API's `updated_at` lies inside a change's window.
    public enum UpdatedAtCheck: String, Sendable, Hashable, Codable {
        /// Inside: the API's own clock agrees with what was observed.
        case consistent
        /// Outside: the API's clock, or its `updated_at`, disagrees with the observations.
        case outsideWindow = "outside-window"
        /// Not judged: no `updated_at`, an unparseable one, or no old state (first seen).
        case unknown
    }

    /// The resource.
    public let gatewayID: GatewayID
    /// Its kind.
    public let kind: ResourceKind
    /// Its latest known name.
    public let name: String?
    /// The zone of every time.
    public let zone: Zone
    /// The field asked about, if any.
    public let field: String?
    /// The changes, oldest first.
    public let entries: [Entry]
    /// The change rows behind ``entries``, for the JSON lines (the changes view's columns).
    private let rows: [ChangeRow]

    /// Reads the changes of one gateway (and optionally one field: an exact path, or a prefix such as
    /// `tags` or `ca_certificate`).
    /// - Throws: ``ReportError/unknownGateway(_:)`` for an id the database has never seen; ``StoreError``.
    /// - Throws: ``ReportError/outsideScopes(_:scope:)`` when `scopes` leave the gateway's scope out.
    public init(
        store: any HistoryReading, gatewayID: GatewayID, field: String? = nil, zone: Zone = .utc,
        scopes: ScopeFilter = ScopeFilter()
    ) throws {
        let (gatewayID, summary) = try Self.resolve(gatewayID, in: store, scopes: scopes)
        guard scopes.matches(summary.scope) else {
            throw ReportError.outsideScopes(gatewayID, scope: summary.scope.description)
        }
        self.gatewayID = gatewayID
        kind = summary.kind
        self.zone = zone
        self.field = field
        name = summary.name
        let cells = ReportCells(zone: zone)
        var entries: [Entry] = []
        var rows: [ChangeRow] = []
        try ChangeRow.forEach(in: store, ReportFilter(gatewayIDs: [gatewayID], kinds: [summary.kind])) { row in
            if let field, !(row.field == field || row.field.hasPrefix(field + ".")) { return }
            let check: UpdatedAtCheck
            switch ChangeWindow.contains(row.apiUpdatedAtTimestamp, after: row.lastSeenBefore, upTo: row.firstSeenAfter)
            {
            case true?: check = .consistent
            case false?: check = .outsideWindow
            case nil: check = .unknown
            }
            rows.append(row)
            let entry = Entry(
                change: row.change, field: row.field, oldValue: row.oldValue, newValue: row.newValue,
                lastSeenBefore: row.lastSeenBefore.map(cells.time), firstSeenAfter: cells.time(row.firstSeenAfter),
                lastRunBefore: row.lastRunBefore, firstRunAfter: row.firstRunAfter,
                apiUpdatedAt: row.apiUpdatedAt.map { cells.timestamp(row.apiUpdatedAtTimestamp, raw: $0) },
                updatedAtCheck: check, account: row.scope.account, region: row.scope.region,
                projectID: row.scope.projectID)
            entries.append(entry)
        }
        if summary.kind == .customerGateway {
            entries = try WhenChangedReport.attachConnections(to: entries, rows: rows, of: gatewayID, store: store)
        }
        self.entries = entries
        self.rows = rows
    }

    /// How many resources an unknown id's error suggests before it says how many more there are.
    public static let candidateLimit = 3

    /// The resource `text` names: its id as stored; else the same id in lower case (ids are lower-case UUIDs,
    /// one typed or pasted in capitals is the same resource); else the resource whose latest name is exactly
    /// `text` (a person asks about "office-berlin", not its UUID): the one in `scopes`, or the one present
    /// when a gone resource had the name too (a gateway deleted and created again). A name only resources
    /// outside `scopes` have resolves to one of them, which the caller refuses as out of scope.
    /// - Throws: ``ReportError/ambiguousName(_:count:candidates:)`` when several resources keep the name,
    ///   ``ReportError/unknownGateway(_:candidates:)`` naming what `text` may mean otherwise: the resources
    ///   whose id it begins or whose name it is in other case, else those a typo away from it.
    static func resolve(_ text: GatewayID, in store: any HistoryReading, scopes: ScopeFilter) throws -> (
        GatewayID, GatewaySummary
    ) {
        if let summary = try store.gateway(text) { return (text, summary) }
        let lowered = GatewayID(text.rawValue.lowercased())
        if lowered != text, let summary = try store.gateway(lowered) { return (lowered, summary) }
        // Not found: read the known resources once (the summaries `gateways` lists; 0.4 s for 11,688).
        let all = try store.gateways()
        let named = all.filter { $0.name == text.rawValue }
        let inScope = named.filter { scopes.matches($0.scope) }
        func one(_ summaries: [GatewaySummary]) -> GatewaySummary? {
            if summaries.count == 1 { return summaries[0] }
            let present = summaries.filter { $0.state == .present }
            return present.count == 1 ? present[0] : nil
        }
        if let summary = one(inScope) ?? (inScope.isEmpty ? one(named) : nil) {
            return (summary.gatewayID, summary)
        }
        if !named.isEmpty {
            let shared = inScope.isEmpty ? named : inScope
            throw ReportError.ambiguousName(text.rawValue, count: shared.count, candidates: labels(shared))
        }
        let folded = lowered.rawValue
        var candidates = all.filter { summary in
            scopes.matches(summary.scope)
                && (summary.name?.lowercased() == folded
                    || (!folded.isEmpty && summary.gatewayID.rawValue.lowercased().hasPrefix(folded)))
        }
        if candidates.isEmpty && !folded.isEmpty {
            // A typo: the ids and names a few edits away (a quarter of the text at most), the closest first.
            let limit = max(1, folded.unicodeScalars.count / 4)
            let near = all.enumerated().compactMap { index, summary -> (distance: Int, index: Int)? in
                guard scopes.matches(summary.scope) else { return nil }
                let texts = [summary.gatewayID.rawValue.lowercased(), summary.name?.lowercased()].compactMap(\.self)
                return texts.compactMap { EditDistance.between(folded, $0, limit: limit) }.min().map { ($0, index) }
            }
            candidates = near.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }.map { all[$0.index] }
        }
        throw ReportError.unknownGateway(text, candidates: labels(candidates))
    }

    /// `"id" (name)` of the first ``candidateLimit`` resources (`, gone` for a gone one), then how many more.
    private static func labels(_ summaries: [GatewaySummary]) -> [String] {
        var labels = summaries.prefix(candidateLimit).map { summary in
            let notes = [summary.name.map(TerminalText.line), summary.state == .gone ? "gone" : nil].compactMap(\.self)
            return "\"\(TerminalText.line(summary.gatewayID.rawValue))\""
                + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))")
        }
        if summaries.count > candidateLimit { labels.append("\(summaries.count - candidateLimit) more") }
        return labels
    }

    /// A readable table for a terminal.
    public var text: String {
        var lines = [
            "\(TerminalText.line(gatewayID.rawValue))\(name.map { " (\(TerminalText.line($0)))" } ?? ""): \(entries.count) change(s)"
                + (field.map { " of \($0)" } ?? "") + ", times in \(zone.identifier)"
        ]
        if entries.isEmpty {
            lines.append("No change recorded\(field.map { " for \($0)" } ?? "").")
            return lines.joined(separator: "\n") + "\n"
        }
        let header = [
            "CHANGE", "FIELD", "FROM", "TO", "LAST SEEN BEFORE", "FIRST SEEN AFTER", "API UPDATED_AT", "CHECK",
            "ACCOUNT", "REGION", "PROJECT_ID",
        ]
        let rows = entries.map { e in
            [
                e.change.rawValue, TerminalText.line(e.field), WhenChangedReport.short(e.oldValue),
                WhenChangedReport.short(e.newValue), e.lastSeenBefore ?? "-", e.firstSeenAfter,
                e.apiUpdatedAt.map(TerminalText.line) ?? "-", e.updatedAtCheck.rawValue,
                e.account.isEmpty ? "-" : e.account, e.region.isEmpty ? "-" : e.region, e.projectID,
            ]
        }
        lines += TextTable(header: header, rows: rows).lines
        lines += connectionLines
        return lines.joined(separator: "\n") + "\n"
    }

    /// NDJSON, one object per change: the changes view's columns (the keys and values of
    /// `report changes --format json`, in the same zone), then `last_run_before`, `first_run_after`,
    /// `updated_at_check`, and for a customer gateway `connections`: the tunnels that used it then, each
    /// `id (name): their changes in the window` (or `unchanged`), joined by `; ` (empty for other kinds).
    public func json() -> String {
        let keys =
            ChangeRow.columns.map(\.name) + ["last_run_before", "first_run_after", "updated_at_check", "connections"]
        var writer = JSONLinesWriter(output: "", keys: keys)
        var renderer = ReportRowRenderer<ChangeRow>(cells: ReportCells(zone: zone))
        for (row, entry) in zip(rows, entries) {
            writer.writeRow(
                renderer.cells(of: row) + [
                    entry.lastRunBefore.map(String.init) ?? "", String(entry.firstRunAfter),
                    entry.updatedAtCheck.rawValue, WhenChangedReport.connectionsCell(entry.connections ?? []),
                ])
        }
        return writer.output
    }

    static func short(_ value: String?) -> String {
        guard let value else { return "-" }
        let flat = TerminalText.line(value)
        return flat.count > 40 ? String(flat.prefix(39)) + "…" : flat
    }
}
