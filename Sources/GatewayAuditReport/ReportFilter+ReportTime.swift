import GatewayAuditCore
import GatewayAuditStore

extension ReportFilter {
    /// A filter from what a user typed: gateway ids, and time bounds resolved in `zone`.
    /// - Throws: ``ReportError/emptyRange(since:until:)`` when `since` is after `until`.
    public init(gatewayIDs: [GatewayID], since: ReportTime?, until: ReportTime?, zone: Zone) throws(ReportError) {
        let from = since?.instant(in: zone, endOfDay: false)
        let to = until?.instant(in: zone, endOfDay: true)
        if let from, let to, from > to, let since, let until {
            throw .emptyRange(since: since.text, until: until.text)
        }
        self.init(gatewayIDs: gatewayIDs, since: from, until: to)
    }
}
