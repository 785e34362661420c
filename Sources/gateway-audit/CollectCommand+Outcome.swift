import GatewayAudit
import Logging

extension CollectCommand {
    /// Closes the HTTP client; a failure is logged once, as the run's outcome is already decided.
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
                problems.append(
                    "\(summary.counts.failed) gateway(s) could not be fetched and were recorded as failed observations; "
                        + "the others are stored")
            }
            return CommandFailure(status: .partial, description: problems.joined(separator: "; "))
        }
        return nil
    }
}
