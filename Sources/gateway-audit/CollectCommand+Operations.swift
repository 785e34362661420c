import Foundation
import GatewayAudit
import GatewayAuditOperations
import Logging

extension CollectCommand {
    /// Wires the metrics file, the notifier and the heartbeat the settings ask for.
    func publisher(
        _ settings: OperationsOptions.Resolved, transport: (any Transport)?, databasePath: String? = nil, logger: Logger
    ) -> RunPublisher {
        var heartbeat: Heartbeat?
        var notifier: Notifier?
        if let transport {
            if let url = settings.heartbeat {
                heartbeat = Heartbeat(
                    url: url, style: operations.heartbeatStyle.style,
                    sender: WebhookSender(transport: transport, policy: .heartbeat), logger: logger)
            }
            if !settings.notify.isEmpty {
                notifier = Notifier(
                    urls: settings.notify, format: settings.format,
                    sender: WebhookSender(
                        transport: transport, policy: DeliveryPolicy(timeout: operations.notifyTimeout)),
                    logger: logger)
            }
        }
        return RunPublisher(
            databasePath: databasePath ?? database.path, metricsFile: settings.metricsFile, notifier: notifier,
            heartbeat: heartbeat,
            logger: logger)
    }
}
