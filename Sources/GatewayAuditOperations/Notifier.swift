import Foundation
import Logging

/// Posts a run's notification to every webhook at once, each with retries inside the delivery
/// budget. A failed delivery is logged (the URL redacted) and changes nothing else: the changes stay
/// in the database, and `report changes --since` still lists them.
public struct Notifier: Sendable {
    /// The body posted.
    public enum Format: String, Sendable, CaseIterable {
        /// The documented JSON document (``RunNotification``).
        case json
        /// Slack/Mattermost incoming-webhook `{"text": …}` (``SlackMessage``).
        case slack
    }

    let urls: [WebhookURL]
    let format: Format
    let sender: WebhookSender
    let logger: Logger

    /// Creates a notifier.
    public init(urls: [WebhookURL], format: Format, sender: WebhookSender, logger: Logger) {
        self.urls = urls
        self.format = format
        self.sender = sender
        self.logger = logger
    }

    /// The body for `outcome` in this notifier's format.
    /// - Throws: an `EncodingError` (not expected for these types).
    public func body(for outcome: RunOutcome, digest: RunDigest?) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        switch format {
        case .json: return try RunNotification(outcome: outcome, digest: digest).json()
        case .slack: return try encoder.encode(SlackMessage(outcome: outcome, digest: digest))
        }
    }

    /// Delivers `body` to every URL concurrently; returns how many accepted it.
    @discardableResult
    public func deliver(_ body: Data) async -> Int {
        await deliver(body, to: urls).count
    }

    /// Delivers `body` to `targets` concurrently; returns those that accepted it.
    public func deliver(_ body: Data, to targets: [WebhookURL]) async -> [WebhookURL] {
        await delivery(body, to: targets).accepted
    }

    /// Delivers `body` to `targets` concurrently; returns those that accepted it, and those that could not be
    /// reached (no answer in time, no connection, TLS): unlike one that refused this body, such a webhook
    /// would make the next notification wait as long.
    public func delivery(_ body: Data, to targets: [WebhookURL]) async -> (
        accepted: [WebhookURL], unreachable: [WebhookURL]
    ) {
        await withTaskGroup(of: (WebhookURL, Bool?).self) { group in
            for url in targets {
                group.addTask {
                    let metadata: Logger.Metadata
                    let reason: String
                    let reached: Bool
                    switch await sender.post(body, contentType: "application/json", to: url) {
                    case .delivered(let attempts):
                        logger.info(
                            "notification delivered", metadata: ["url": "\(url.redacted)", "attempts": "\(attempts)"])
                        return (url, nil)
                    case .failed(let attempts, let why):
                        (metadata, reason, reached) = (
                            ["url": "\(url.redacted)", "attempts": "\(attempts)"], why, false
                        )
                    case .refused(let attempts, let why):
                        (metadata, reason, reached) = (
                            ["url": "\(url.redacted)", "attempts": "\(attempts)"], why, true
                        )
                    }
                    logger.error(
                        "notification not delivered: \(reason); nothing is lost, the next run's digest and `report changes --since` still list these changes",
                        metadata: metadata)
                    return (url, reached)
                }
            }
            var accepted: [WebhookURL] = []
            var unreachable: [WebhookURL] = []
            for await (url, reached) in group {
                switch reached {
                case nil: accepted.append(url)
                case false?: unreachable.append(url)
                case true?: continue
                }
            }
            return (accepted, unreachable)
        }
    }
}
