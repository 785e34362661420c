import Foundation

/// Why the metrics file could not be written.
public enum MetricsError: Error, Sendable, Hashable {
    /// The file or its temporary sibling could not be created, written or renamed.
    case cannotWrite(path: String, reason: String)
}

extension MetricsError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return "cannot write the metrics file \(path) (\(reason)); point --metrics-file at a writable folder, "
                + "e.g. node_exporter's --collector.textfile.directory"
        }
    }
}

extension MetricsError: LocalizedError {
    public var errorDescription: String? { description }
}
