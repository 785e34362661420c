import GatewayAudit
import Logging

extension CollectCommand {
    /// Closes the HTTP client; a failure is logged once, as the run's outcome is already decided.
    /// The client for heartbeats and notifications: trusting `caFile` as well when it loads, else the
    /// system's roots alone (the run then fails on the CA file, and monitoring still hears of it); nil only
    /// when no client can be made at all.
    static func reportingTransport(caFile: String?) -> HTTP1Transport? {
        if let transport = try? HTTP1Transport(caFile: caFile) { return transport }
        return caFile == nil ? nil : try? HTTP1Transport()
    }

    static func shutDown(_ transport: HTTP1Transport, logger: Logger) async {
        do {
            try await transport.shutdown()
        } catch {
            logger.warning("\(error)")
        }
    }

    /// The error a finished run exits with: its failure, or the partial notice; nil for success.
    static func failure(of summary: RunSummary) -> CommandFailure? {
        if let failure = summary.failure {
            return CommandFailure(status: ExitStatus(failure), description: failure.description)
        }
        if summary.status == .partial {
            var problems = summary.incompleteListing.map { [$0] } ?? []
            if summary.counts.failed > 0 {
                // The one line a quiet night prints: it names the first failure, so a mistyped id or a
                // refused lookup needs no second run with logs to be understood.
                let first = summary.failures.first.map { "; the first, \($0.id): \($0.reason)" } ?? ""
                problems.append(
                    "\(summary.counts.failed) resource(s) could not be fetched and were recorded as failed "
                        + "observations; the others are stored\(first)")
            }
            return CommandFailure(status: .partial, description: problems.joined(separator: "; "))
        }
        return nil
    }
}
