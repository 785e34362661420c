import Foundation
import GatewayAudit
import Logging

/// Log lines on standard error: `2026-11-28T02:00:01.123Z warning message key=value`, UTC always.
/// Under systemd (stderr connected to the journal, `JOURNAL_STREAM` set) each line starts with its
/// syslog priority (`<4>warning …`) instead, so `journalctl -p warning` filters by level, and the
/// journal adds its own timestamp.
struct StderrLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level
    /// Whether standard error goes to the systemd journal: `JOURNAL_STREAM` names the device and inode of
    /// the journal's stream, and standard error is that stream (as sd-daemon says to check). A shell started
    /// from a service inherits the variable with its error output elsewhere (a terminal, `2> file`).
    static let toJournal = isJournalStream(ProcessInfo.processInfo.environment["JOURNAL_STREAM"])

    /// Whether `value` (`device:inode`, decimal) is standard error's device and inode.
    static func isJournalStream(_ value: String?) -> Bool {
        let parts = (value ?? "").split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let prefix = Self.toJournal ? "<\(Self.priority(event.level))>" : "\(Instant.now.iso8601(fractionDigits: 3)) "
        let line = "\(prefix)\(event.level) \(event.message)\(fields)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// The syslog priority of a level (sd-daemon(3) prefixes).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// Writes `line`, a message of the executable's own at `level`, on standard error: under the journal
    /// with its syslog priority first (`<3>gateway-audit: error: …`), as every log line has, so
    /// `journalctl -p err` shows it; elsewhere as it is.
    static func write(_ line: String, level: Logger.Level) {
        let prefix = toJournal ? "<\(priority(level))>" : ""
        FileHandle.standardError.write(Data((prefix + line + "\n").utf8))
    }

    /// A logger at `level` writing to standard error.
    static func logger(_ label: String, level: Logger.Level) -> Logger {
        Logger(label: label) { _ in StderrLogHandler(logLevel: level) }
    }
}
