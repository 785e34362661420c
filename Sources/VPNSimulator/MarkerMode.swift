/// How the simulated list reads `marker` and writes `page_info.next_marker`.
///
/// shared/API.md describes the real marker as the `created_at` of a page's last item, items newest
/// first, and warns that "an item can appear on two pages": a `created_at` marker is inclusive. Taken
/// literally, an inclusive timestamp marker repeats the last item on every page, so a client that
/// follows `next_marker` with a small `limit` (or past more than `limit` gateways sharing one
/// `created_at`) gets the same page forever. ``composite``, the default, keeps the documented reading
/// of a plain `created_at` marker but writes a `next_marker` that cannot be ambiguous.
public enum MarkerMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// The default. A plain `created_at` marker is inclusive (items created at or before it), as
    /// API.md describes; `next_marker` is the last item's `created_at` as sent, then `~`, then its id
    /// (`2025-02-01T00:00:00.000Z~5f0c…`), read back as "after this item in list order" (newest first,
    /// ties by id, descending). A client that only follows `next_marker` reaches every item exactly
    /// once, whatever the limit and however many gateways share one `created_at`, and the position
    /// survives the deletion of that item between two pages.
    case composite
    /// `next_marker` is the last item's `created_at` as sent; the next page holds the items created at
    /// or before it, so the last item (and every tie) comes again. When a whole page shares one
    /// `created_at`, the same page repeats: a client must widen `limit` to get past it.
    case inclusive
    /// `next_marker` is the last item's `created_at` as sent; the next page holds only the items
    /// created strictly before it, so gateways sharing it that did not fit on the page are skipped.
    case exclusive

    /// What separates the `created_at` from the id in a ``composite`` marker (never part of RFC 3339
    /// text, and unreserved in URLs, so it needs no percent-encoding).
    public static let compositeSeparator: Character = "~"
}
