import ArgumentParser
import Foundation
import GatewayAudit
import GatewayAuditMetrics
import GatewayAuditOperations
import Logging

/// `collect`'s operations flags: metrics file, heartbeat and notifications, each also from a
/// `GATEWAY_AUDIT_*` variable so that URLs holding tokens stay out of `ps` and crontabs.
struct OperationsOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-file"),
        help: ArgumentHelp(
            "Write Prometheus metrics here after every run (node_exporter textfile collector). Default: $GATEWAY_AUDIT_METRICS_FILE.",
            valueName: "path"))
    var metricsFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Ping URL/start before the run and URL or URL/fail after it (healthchecks.io style). Default: $GATEWAY_AUDIT_HEARTBEAT_URL.",
            valueName: "url"))
    var heartbeat: String?

    @Option(
        name: .customLong("heartbeat-style"),
        help:
            "plain (URL or URL/fail), exit-code (URL/{exit code}, healthchecks.io) or status (one GET of URL?status=up|down&msg=…, Uptime Kuma push)."
    )
    var heartbeatStyle: HeartbeatStyleArgument = HeartbeatStyleArgument(style: .plain)

    @Option(
        name: .customLong("notify"),
        help: ArgumentHelp(
            "POST a digest here after a run with news (repeatable). Default: $GATEWAY_AUDIT_NOTIFY_URLS (space separated).",
            valueName: "url"))
    var notify: [String] = []

    @Option(
        name: .customLong("notify-format"),
        help:
            "json (the documented document) or slack (Slack/Mattermost {\"text\": …}). Default: $GATEWAY_AUDIT_NOTIFY_FORMAT, else json."
    )
    var notifyFormat: NotifyFormatArgument?

    @Option(
        name: .customLong("notify-timeout"), parsing: .unconditional,
        help: ArgumentHelp("Seconds a notification may take, retries included.", valueName: "seconds"))
    var notifyTimeout: Double = 30

    func validate() throws {
        guard notifyTimeout > 0 && notifyTimeout <= 3_600 else {
            throw ValidationError("--notify-timeout must be greater than 0 and at most 3600 seconds")
        }
    }

    /// The parsed settings; URLs are checked here (https only, http only to loopback).
    /// - Throws: ``CommandFailure`` (usage) naming the option and the redacted URL.
    func resolved(_ environment: CloudEnvironment) throws -> Resolved {
        let resolution = resolution(environment)
        if let problem = resolution.problem { throw problem }
        return resolution.settings
    }

    /// Every setting that resolves, and the first that does not: a nightly job whose notification setting
    /// broke still writes its metrics file and pings its heartbeat that the run failed.
    func resolution(_ environment: CloudEnvironment) -> (settings: Resolved, problem: CommandFailure?) {
        var problem: CommandFailure?
        func checked<T>(_ body: () throws(OperationsError) -> T) -> T? {
            do {
                return try body()
            } catch {
                problem = problem ?? CommandFailure(status: .usage, description: error.description)
                return nil
            }
        }
        let heartbeatText = heartbeat ?? environment["GATEWAY_AUDIT_HEARTBEAT_URL"]
        let notifyTexts =
            !notify.isEmpty
            ? notify
            : (environment["GATEWAY_AUDIT_NOTIFY_URLS"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        let heartbeatURL = heartbeatText.flatMap { text in
            checked { () throws(OperationsError) in
                try WebhookURL(text, option: "--heartbeat")
            }
        }
        let notifyURLs = notifyTexts.compactMap { text in
            checked { () throws(OperationsError) in
                try WebhookURL(text, option: "--notify")
            }
        }
        let formatText = environment["GATEWAY_AUDIT_NOTIFY_FORMAT"]
        let format = notifyFormat?.format ?? (formatText.map { Notifier.Format(rawValue: $0) } ?? .json)
        if format == nil {
            problem =
                problem
                ?? CommandFailure(status: .usage, description: "GATEWAY_AUDIT_NOTIFY_FORMAT must be json or slack")
        }
        let settings = Resolved(
            metricsFile: (metricsFile ?? environment["GATEWAY_AUDIT_METRICS_FILE"]).map(MetricsFile.init(path:)),
            heartbeat: heartbeatURL,
            // Without a format no notification is sent: the run fails with the usage error instead.
            notify: format == nil ? [] : notifyURLs, format: format ?? .json)
        return (settings, problem)
    }

    /// What the flags and variables resolved to.
    struct Resolved {
        let metricsFile: MetricsFile?
        let heartbeat: WebhookURL?
        let notify: [WebhookURL]
        let format: Notifier.Format

        var needsTransport: Bool { heartbeat != nil || !notify.isEmpty }
    }
}

struct HeartbeatStyleArgument: ExpressibleByArgument {
    let style: Heartbeat.Style
    init(style: Heartbeat.Style) { self.style = style }
    init?(argument: String) {
        guard let style = Heartbeat.Style(rawValue: argument) else { return nil }
        self.style = style
    }
    static var allValueStrings: [String] { Heartbeat.Style.allCases.map(\.rawValue) }
    var defaultValueDescription: String { style.rawValue }
}

struct NotifyFormatArgument: ExpressibleByArgument {
    let format: Notifier.Format
    init?(argument: String) {
        guard let format = Notifier.Format(rawValue: argument) else { return nil }
        self.format = format
    }
    static var allValueStrings: [String] { Notifier.Format.allCases.map(\.rawValue) }
}
