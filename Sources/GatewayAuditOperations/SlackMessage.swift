import Foundation

/// The Slack/Mattermost-compatible form of a notification: `{"text": "…"}` in their mrkdwn, with
/// at most ``lineLimit`` entries listed (chat messages are read, not parsed).
public struct SlackMessage: Sendable, Hashable, Encodable {
    /// Entries listed in the message; the rest are counted.
    public static let lineLimit = 20
    /// Longest value shown in a line.
    static let valueLimit = 80

    /// The message text.
    public let text: String

    /// Builds the message for `outcome` and its digest.
    public init(outcome: RunOutcome, digest: RunDigest?) {
        let counts = outcome.counts
        let scope = outcome.scope
        var location = scope.projectID.isEmpty ? "" : " project \(scope.projectID)"
        if !scope.region.isEmpty { location += " (\(scope.region))" }
        if !scope.account.isEmpty { location = " account \(scope.account)," + location }
        let run = outcome.summary.map { "run \($0.runID) " } ?? ""
        var lines = [
            "*gateway-audit* \(run)\(outcome.status.rawValue) (exit \(outcome.exitCode)) on\(location): "
                + "\(counts.changed) changed, \(counts.new) new, \(counts.gone) gone, \(counts.failed) failed"
        ]
        if let message = outcome.message { lines.append("> " + Self.escape(message)) }
        let entries = digest?.entries ?? []
        for entry in entries.prefix(Self.lineLimit) { lines.append("• " + Self.line(entry)) }
        if entries.count > Self.lineLimit {
            lines.append("… and \(entries.count - Self.lineLimit) more: `gateway-audit report changes` has them all")
        }
        if let head = outcome.summary?.chainHead { lines.append("chain head `\(head)`") }
        text = lines.joined(separator: "\n")
    }

    static func line(_ entry: DigestEntry) -> String {
        let id = "`\(escape(entry.gatewayID))`"
        let field = entry.field.map { " `\(escape($0))`" } ?? ""
        switch entry.event {
        case .change(.modified):
            return "\(id)\(field): \(value(entry.oldValue)) → \(value(entry.newValue))"
        case .change(.added):
            return "\(id)\(field) added: \(value(entry.newValue))"
        case .change(.removed):
            return "\(id)\(field) removed (was \(value(entry.oldValue)))"
        case .change(.firstSeen), .change(.gone), .change(.reappeared):
            return "\(id) \(entry.event.rawValue)"
        case .failed, .anomaly:
            return "\(id)\(field) \(entry.event.rawValue): \(escape(entry.detail ?? ""))"
        }
    }

    static func value(_ text: String?) -> String {
        guard let text else { return "(none)" }
        let short = text.count > valueLimit ? String(text.prefix(valueLimit)) + "…" : text
        return escape(short)
    }

    /// Slack's three control characters; everything else is shown as sent.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
