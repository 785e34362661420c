import Foundation
import GatewayAudit
import Logging

/// Log lines on standard error: `2026-11-28T02:00:01.123Z warning message key=value`, UTC always.
struct StderrLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let line = "\(Instant.now.iso8601(fractionDigits: 3)) \(event.level) \(event.message)\(fields)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// A logger at `level` writing to standard error.
    static func logger(_ label: String, level: Logger.Level) -> Logger {
        Logger(label: label) { _ in StderrLogHandler(logLevel: level) }
    }
}
