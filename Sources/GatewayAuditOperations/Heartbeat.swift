import Foundation
import Logging

/// Dead-man's-switch pings in the healthchecks.io convention: `URL/start` before the run, then `URL`
/// on exit 0 or `URL/fail` on any other exit; with ``Style/exitCode`` the end ping is `URL/{exit code}`
/// (healthchecks.io reads 0 as success and 1–255 as failure). Each ping is a POST whose body is the
/// run's summary or error line, shown in the service's event log. A ping that cannot be delivered is
/// logged once per run and never changes the run's outcome.
public actor Heartbeat {
    /// How the end of a run is reported.
    public enum Style: String, Sendable, CaseIterable {
        /// `URL` on success, `URL/fail` on failure (healthchecks.io, Cronitor-style and most others).
        case plain
        /// `URL/{exit code}` (healthchecks.io's exit-status endpoint).
        case exitCode = "exit-code"
        /// No start ping; at the end one GET of `URL` with `status=up` (exit 0) or `status=down` and `msg=` the
        /// run's line in its query, other parameters kept (Uptime Kuma's push monitors).
        case status
    }

    let url: WebhookURL
    let style: Style
    let sender: WebhookSender
    let logger: Logger
    private var warned = false
    /// The paths pinged so far, relative to the URL (`start`, ``, `fail`, `3`, `?status=up`), in order.
    public private(set) var pinged: [String] = []

    /// Creates a heartbeat for `url`.
    public init(url: WebhookURL, style: Style = .plain, sender: WebhookSender, logger: Logger) {
        self.url = url
        self.style = style
        self.sender = sender
        self.logger = logger
    }

    /// Pings `URL/start`: the service measures the run's duration and notices a run that never ends (not with
    /// ``Style/status``, whose services know no start).
    public func start() async {
        guard style != .status else { return }
        await ping(url.appending("start"), shown: "start", body: "gateway-audit collect started")
    }

    /// Pings the end of the run: `URL` or `URL/fail`, `URL/{exitCode}` with ``Style/exitCode``, or `URL?status=…`
    /// with ``Style/status``.
    public func finish(exitCode: Int32, body: String) async {
        switch style {
        case .plain:
            if exitCode == 0 {
                await ping(url, shown: "", body: body)
            } else {
                await ping(url.appending("fail"), shown: "fail", body: body)
            }
        case .exitCode: await ping(url.appending(String(exitCode)), shown: String(exitCode), body: body)
        case .status:
            let status = exitCode == 0 ? "up" : "down"
            await ping(url.setting([("status", status), ("msg", body)]), shown: "?status=\(status)", body: nil)
        }
    }

    /// POSTs `body` to `target`, or GETs it when there is no body; `shown` is what ``pinged`` records.
    private func ping(_ target: WebhookURL, shown: String, body: String?) async {
        pinged.append(shown)
        let outcome =
            if let body {
                await sender.post(Data(body.utf8), contentType: "text/plain; charset=utf-8", to: target)
            } else {
                await sender.send(.get, to: target)
            }
        switch outcome {
        case .delivered(let attempts):
            logger.debug("heartbeat delivered", metadata: ["url": "\(target.redacted)", "attempts": "\(attempts)"])
        case .failed(let attempts, let reason), .refused(let attempts, let reason):
            let metadata: Logger.Metadata = ["url": "\(target.redacted)", "attempts": "\(attempts)"]
            if warned {
                logger.debug("heartbeat not delivered either: \(reason)", metadata: metadata)
            } else {
                warned = true
                logger.error(
                    "heartbeat not delivered: \(reason); the run's outcome is unchanged, check the ping URL",
                    metadata: metadata)
            }
        }
    }
}
