import Foundation
import GatewayAuditAnalyse
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore

/// Why an import stopped. Runs recorded before the failing file stay recorded.
public enum ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file cannot be read or holds no customer gateway.
    case unreadable(path: String, detail: String)
    /// The file's observation time is not after the database's latest run: history is appended in order.
    case olderThanHistory(path: String, observedAt: String, latest: String)
    /// The store refused a night as given (a file lists an id the history holds as another kind).
    case refusedNight(observedAt: String, files: [String], detail: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let detail):
            return
                "\(path): \(detail); nothing from this file or later ones was imported, fix or remove it and import the rest again"
        case .olderThanHistory(let path, let observedAt, let latest):
            return
                "\(path) was observed at \(observedAt), not after the database's latest run (\(latest)); import into a new --db, or only newer files"
        case .refusedNight(let observedAt, let files, let detail):
            let named =
                files.prefix(3).joined(separator: ", ") + (files.count > 3 ? " and \(files.count - 3) more" : "")
            return
                "the night observed at \(observedAt) (\(named)): \(detail); nothing of that night or later ones was "
                + "imported, fix or remove the file that lists it and import the rest again"
        }
    }
}

extension ImportError: LocalizedError {
    public var errorDescription: String? { description }
}
