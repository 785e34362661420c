import Foundation
import GatewayAuditCore

/// The metrics file for node_exporter's textfile collector: replaced atomically (a temporary file in
/// the same folder, flushed to disk, then renamed), so the collector never reads half a file.
public struct MetricsFile: Sendable {
    /// Where the file lives (node_exporter reads `*.prom` files of its textfile directory).
    public let path: String

    /// Creates a handle for `path`.
    public init(path: String) {
        self.path = path
    }

    /// Writes `metrics` in the Prometheus text format, replacing the file atomically (mode 0644, so
    /// node_exporter's own user can read it).
    /// - Throws: ``MetricsError/cannotWrite(path:reason:)``.
    public func write(_ metrics: RunMetrics) throws(MetricsError) {
        try write(text: PrometheusTextRenderer().render(metrics))
    }

    /// Writes `text` atomically.
    /// - Throws: ``MetricsError/cannotWrite(path:reason:)``.
    public func write(text: String) throws(MetricsError) {
        let url = URL(fileURLWithPath: path)
        // The collector reads only `*.prom`: a dot-name ending `.tmp` is never picked up half-written.
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: Self.errnoText()) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
        } catch {
            close(descriptor)
            unlink(temporary)
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
        // The mode is set explicitly: a umask of 077 (systemd's UMask=) must not hide the file from node_exporter.
        guard fchmod(descriptor, 0o644) == 0, close(descriptor) == 0 else {
            let reason = Self.errnoText()
            unlink(temporary)
            throw .cannotWrite(path: path, reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = Self.errnoText()
            unlink(temporary)
            throw .cannotWrite(path: path, reason: reason)
        }
    }

    /// The `gateway_audit_last_success_timestamp_seconds` value of the file as it stands, if any: a run
    /// that cannot read its database still carries the last success forward, so the alert keeps its series.
    public func previousLastSuccess() -> Instant? {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return nil  // no previous file (first run) or unreadable: there is nothing to carry forward
        }
        for line in text.split(separator: "\n") where line.hasPrefix("gateway_audit_last_success_timestamp_seconds") {
            guard let value = line.split(separator: " ").last.flatMap({ Double($0) }), value.isFinite, value > 0 else {
                continue
            }
            let seconds = value.rounded(.down)
            return Instant(seconds: Int64(seconds), nanoseconds: Int64(((value - seconds) * 1e9).rounded()))
        }
        return nil
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
