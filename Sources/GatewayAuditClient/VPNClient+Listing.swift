import Foundation
import GatewayAuditCore
import Logging

extension VPNClient {
    /// The largest `limit` the lists accept (the API reference: 0 to 200, customer gateways and VPN
    /// connections alike).
    public static let maximumPageSize = 200

    /// Lists every customer gateway of the project (``listResources(_:pageSize:)`` typed).
    /// - Throws: ``ClientError`` when a page cannot be fetched after retries.
    public func listGateways(pageSize: Int = VPNClient.maximumPageSize) async throws(ClientError) -> GatewayListing {
        let listing = try await listResources(.customerGateway, pageSize: pageSize)
        return GatewayListing(
            gateways: listing.resources.map(CustomerGateway.init(resource:)), pages: listing.pages,
            totalCount: listing.totalCount, incompleteReason: listing.incompleteReason)
    }

    /// Lists every resource of `kind` in the project, each id once, following markers page by page
    /// (the VPN gateway list has no pages: one request).
    ///
    /// A marker is the `created_at` of a page's last item, and several gateways can share one. Servers
    /// differ on the next page: it may start *at* the marker (inclusive: the last item and its ties come
    /// again) or *after* it (exclusive: ties that did not fit on the page would be skipped). So a
    /// `next_marker` that is a timestamp is sent back one unit of its last digit later, in the digits and
    /// offset it came in: with either reading, the next page then starts with every gateway sharing that
    /// `created_at` (repeats are dropped by id). A `next_marker` that is not a timestamp (an opaque
    /// position) is sent back as it is; so is a timestamp the server refuses in its moved form.
    ///
    /// A full page that brings no gateway not yet listed is asked for again twice as large, up to the
    /// kind's largest `limit` (200). When a page of 200 still brings none, or the list refuses the larger
    /// page with a 400, the list cannot be followed further: the gateways found so far are returned with
    /// ``ResourceListing/incompleteReason`` saying so, never passed off as complete. So is a list that
    /// ends with fewer resources than its `total_count` counts.
    /// - Parameter pageSize: the first `limit`, 1 to the kind's largest (larger pages only when needed to progress).
    /// - Throws: ``ClientError`` when a page cannot be fetched after retries.
    public func listResources(_ kind: ResourceKind, pageSize: Int = VPNClient.maximumPageSize)
        async throws(ClientError) -> ResourceListing
    {
        guard kind.listPages else {
            let page = try await listPage(kind, query: nil, number: 1)
            var seen = Set<GatewayID>()
            let resources = page.resources.filter { seen.insert($0.id).inserted }
            return ResourceListing(
                resources: resources, pages: 1, totalCount: page.totalCount,
                incompleteReason: VPNClient.shortOfTotal(kind, listed: resources.count, total: page.totalCount))
        }
        let largest = kind.maximumPageSize
        var limit = min(max(pageSize, 1), largest)
        // The `limit` of the last page the list answered: a 400 for another one refuses the page size.
        var acceptedLimit: Int?
        // The latest `total_count` the list sent.
        var total: Int?
        // The smallest count any page sent: a resource created while the list is followed sorts first
        // (newest first) and is never listed, but later pages count it; a list short of its smallest
        // count lost something.
        var fewestCounted: Int?
        // The `created_at` of the page that brought nothing new, when the limit was widened after it.
        var stalledAt: String?
        var marker: String?
        var sentByServer: String?
        var moveMarkers = true
        var seen = Set<GatewayID>()
        var gateways: [Resource] = []
        var pages = 0
        while true {
            let page: ResourcePage
            do {
                var query = "limit=\(limit)"
                if let marker { query += "&marker=" + PercentEncoding.encode(marker) }
                page = try await listPage(kind, query: query, number: pages + 1)
            } catch {
                guard case .http(400, let code, let message, _) = error else { throw error }
                if let accepted = acceptedLimit, accepted != limit, !RetryPolicy.isRetryable(status: 400, code: code) {
                    // The same marker was answered with the smaller page: the wider limit is what is refused.
                    let refusal: String =
                        "HTTP 400" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
                    let stalled: String = stalledAt ?? marker ?? "-"
                    let noun = VPNClient.listedNoun(kind)
                    let reason: String =
                        VPNClient.incompletePrefix(kind)
                        + "could not make progress past created_at \(stalled): a full page of \(accepted) brought no "
                        + "\(noun) not yet listed, and the list refused the wider limit \(limit) (\(refusal)); "
                        + VPNClient.listedCount(kind, listed: gateways.count, total: total)
                    logger.debug("the list refused a wider page", metadata: ["kind": "\(kind)", "limit": "\(limit)"])
                    return ResourceListing(
                        resources: gateways, pages: pages, totalCount: total, incompleteReason: reason)
                }
                guard let original = sentByServer, original != marker else { throw error }
                logger.notice(
                    "the list refused a marker moved past ties; following next_marker as sent from now on",
                    metadata: ["marker": "\(marker ?? "")", "next_marker": "\(original)"])
                moveMarkers = false
                marker = original
                continue
            }
            pages += 1
            acceptedLimit = limit
            total = page.totalCount ?? total
            if let counted = page.totalCount { fewestCounted = min(fewestCounted ?? counted, counted) }
            var added = 0
            for gateway in page.resources where seen.insert(gateway.id).inserted {
                gateways.append(gateway)
                added += 1
            }
            let count = page.currentCount ?? page.resources.count
            guard let next = page.nextMarker, count >= limit, !page.resources.isEmpty else {
                logger.debug(
                    "listed resources",
                    metadata: ["kind": "\(kind)", "count": "\(gateways.count)", "pages": "\(pages)"])
                return ResourceListing(
                    resources: gateways, pages: pages, totalCount: total,
                    incompleteReason: VPNClient.shortOfTotal(kind, listed: gateways.count, total: fewestCounted))
            }
            guard added == 0 else {
                sentByServer = next
                marker = moveMarkers ? VPNClient.markerIncludingTies(next) ?? next : next
                continue
            }
            let last = page.resources.last?.createdAtText ?? next
            guard limit < largest else {
                let noun = VPNClient.listedNoun(kind)
                let reason: String =
                    VPNClient.incompletePrefix(kind) + "could not make progress past created_at \(last): "
                    + "a full page of \(largest) (the largest limit) brought no \(noun) not yet listed "
                    + "(more than \(largest) share one created_at?); "
                    + VPNClient.listedCount(kind, listed: gateways.count, total: total)
                return ResourceListing(
                    resources: gateways, pages: pages, totalCount: total, incompleteReason: reason)
            }
            // The whole page was already listed: ask again with a wider page from the same marker.
            stalledAt = last
            limit = min(largest, limit * 2)
            logger.debug("widening the list page", metadata: ["limit": "\(limit)", "marker": "\(marker ?? "")"])
        }
    }

    /// How an incomplete listing's reason starts: `listing incomplete: ` for customer gateways (as before
    /// other kinds were listed), `VPN connection listing incomplete: ` for the others.
    static func incompletePrefix(_ kind: ResourceKind) -> String {
        (kind == .customerGateway ? "" : kind.noun + " ") + "listing incomplete: "
    }

    /// The noun a listing's messages count in: `gateway` for customer gateways, else the kind's noun.
    static func listedNoun(_ kind: ResourceKind) -> String {
        kind == .customerGateway ? "gateway" : kind.noun
    }

    /// `205 of 210 gateways listed` (`205 gateways listed` when the list sent no `total_count`).
    static func listedCount(_ kind: ResourceKind, listed: Int, total: Int?) -> String {
        "\(listed)" + (total.map { " of \($0)" } ?? "") + " \(listedNoun(kind))s listed"
    }

    /// Why a list followed to its end is not complete: it brought fewer resources (each id once) than its
    /// `total_count` counts, worded like an import's night that holds fewer gateways than its pages count.
    /// Nil when the list sent no count or brought at least as many.
    static func shortOfTotal(_ kind: ResourceKind, listed: Int, total: Int?) -> String? {
        guard let total, listed < total else { return nil }
        let noun = listedNoun(kind)
        return incompletePrefix(kind) + "the list gave \(listed) of the \(total) \(noun)s its pages count "
            + "(total_count)"
    }

    private func listPage(_ kind: ResourceKind, query: String?, number: Int) async throws(ClientError)
        -> ResourcePage
    {
        let url = try path(kind.pathSegment, query: query)
        let context = kind == .customerGateway ? "list page \(number)" : "\(kind.noun) list page \(number)"
        let response = try await perform(ClientRequest(method: .get, url: url), allowNotFound: false, context: context)
        do {
            return try ResourcePage(kind: kind, data: response.body)
        } catch {
            throw .invalidResponse("\(context): \(error)", requestID: response.requestID)
        }
    }

    /// `marker` one unit of its last fraction digit (or one second) later, written with the same number
    /// of digits and the same offset designator; nil when `marker` is not a timestamp.
    ///
    /// Every gateway created in between is newer than the marker, so already listed: an inclusive
    /// server repeats at most those, an exclusive one no longer skips the marker's ties.
    static func markerIncludingTies(_ marker: String) -> String? {
        let stamp: Timestamp
        do {
            stamp = try Timestamp(parsing: marker)
        } catch {
            return nil  // an opaque marker (older docs: an id) is sent back unchanged
        }
        let digits = stamp.fractionDigits.count
        var step: Int64 = 1_000_000_000
        for _ in 0..<digits { step /= 10 }
        let local = stamp.instant.adding(seconds: Int64(stamp.offset.seconds), nanoseconds: step)
        return String(local.iso8601(in: .utc, fractionDigits: digits).dropLast()) + stamp.offsetDesignator
    }
}
