import GatewayAuditCore
import GatewayAuditStore

/// What to render: the view, the format, the zone and the slice of history.
public struct ReportOptions: Sendable, Hashable {
    /// The view.
    public var view: ReportView
    /// CSV or HTML.
    public var format: ReportFormat
    /// The zone for every time column.
    public var zone: Zone
    /// Which gateways and which period.
    public var filter: ReportFilter
    /// When the report is generated (shown in the HTML header).
    public var generatedAt: Instant

    /// Creates report options.
    public init(
        view: ReportView, format: ReportFormat = .csv, zone: Zone = .utc, filter: ReportFilter = ReportFilter(),
        generatedAt: Instant = .now
    ) {
        self.view = view
        self.format = format
        self.zone = zone
        self.filter = filter
        self.generatedAt = generatedAt
    }

    /// The kind the history view shows (one kind per history: the columns differ); customer gateways
    /// unless the filter names another.
    public var historyKind: ResourceKind { filter.kinds.first ?? .customerGateway }

    /// The default file name, e.g. `changes.Europe-Berlin.csv`, `history-vpn-connection.UTC.html`.
    public var defaultFileName: String {
        let name =
            view == .history && historyKind != .customerGateway ? "history-\(historyKind.rawValue)" : view.rawValue
        return "\(name).\(zone.fileNameComponent).\(format.fileExtension)"
    }

    /// The filters in words, for headers.
    public var filterDescription: String {
        var parts: [String] = []
        if !filter.gatewayIDs.isEmpty {
            parts.append("gateways " + filter.gatewayIDs.map(\.rawValue).joined(separator: ", "))
        }
        if let since = filter.since { parts.append("since " + since.iso8601(in: zone)) }
        if let until = filter.until { parts.append("until " + until.iso8601(in: zone)) }
        if !filter.kinds.isEmpty { parts.append("kinds " + filter.kinds.map(\.rawValue).joined(separator: ", ")) }
        if let account = filter.scopes.account { parts.append("account " + account) }
        if let region = filter.scopes.region { parts.append("region " + region) }
        if let project = filter.scopes.projectID { parts.append("project " + project) }
        return parts.isEmpty ? "all gateways, all time" : parts.joined(separator: " · ")
    }
}
