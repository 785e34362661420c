import Foundation

/// Why an operations setting (heartbeat, notification, metrics) cannot be used.
public enum OperationsError: Error, Sendable, Hashable {
    /// A webhook or heartbeat URL is not a URL this tool will send to; `shown` is the redacted URL.
    case invalidURL(option: String, shown: String, reason: String)
    /// The notification ledger beside the database could not be written.
    case cannotRecord(path: String, reason: String)
}

extension OperationsError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidURL(let option, let shown, let reason):
            return "\(option) \(shown): \(reason)"
        case .cannotRecord(let path, let reason):
            return "cannot record the delivered notification in \(path) (\(reason)); the next digest repeats "
                + "these changes until the database's folder is writable"
        }
    }
}

extension OperationsError: LocalizedError {
    public var errorDescription: String? { description }
}
