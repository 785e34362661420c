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
    /// node_exporter's own user can read it). The series of other scopes the file holds are kept
    /// (``write(_:)-([RunMetrics])``).
    /// - Throws: ``MetricsError/cannotWrite(path:reason:)``.
    public func write(_ metrics: RunMetrics) throws(MetricsError) {
        _ = try write([metrics])
    }

    /// Writes the series of every scope in `all` (an estate night), replacing the file atomically. The
    /// series the file holds for other scopes (labels `account`, `region`, `project_id`, `kind` none of
    /// `all` has) are kept as they were: a run of one project, or of one kind, does not erase the nightly
    /// series of the others; but those `retiring` names (scopes an estate no longer collects) are dropped.
    /// Lines in another form (an earlier release's) are dropped. Runs writing the same file at once take
    /// turns (a lock file beside it, `.NAME.lock`).
    /// - Returns: the scopes whose series were retired, in the file's order.
    /// - Throws: ``MetricsError/cannotWrite(path:reason:)``.
    @discardableResult
    public func write(_ all: [RunMetrics], retiring: ((MonitoringScope) -> Bool)? = nil) throws(MetricsError)
        -> [MonitoringScope]
    {
        let text = PrometheusTextRenderer().render(all)
        var retired: [MonitoringScope] = []
        try exclusively { () throws(MetricsError) in
            let previous = try? String(contentsOfFile: path, encoding: .utf8)
            // A series without a project stands for a run that failed before it knew one (a region whose
            // projects could not be listed, a project id missing): a series of that account (and region) that
            // names a project replaces it.
            var replaced: Set<String> = []
            for scope in all.map(\.scope) {
                replaced.insert(MetricsText.key(of: scope))
                guard !scope.projectID.isEmpty else { continue }
                for region in [scope.region, ""] {
                    var placeholder = scope
                    (placeholder.region, placeholder.projectID) = (region, "")
                    replaced.insert(MetricsText.key(of: placeholder))
                }
            }
            // Only when asked: reading the file's scopes is a second pass over it.
            if let previous, let retiring {
                let held = MetricsText.scopes(in: previous)
                for key in held.order where !replaced.contains(key) {
                    guard let scope = held[key]?.scope, retiring(scope) else { continue }
                    replaced.insert(key)
                    retired.append(scope)
                }
            }
            try write(text: previous.map { MetricsText.merging(kept: $0, into: text, except: replaced) } ?? text)
        }
        return retired
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

    /// The `gateway_audit_last_success_timestamp_seconds` value of the file as it stands for `scope`, if
    /// any: a run that cannot read its database still carries its last success forward, so the alert keeps
    /// its series.
    public func previousLastSuccess(of scope: MonitoringScope) -> Instant? {
        previousSeries()[MetricsText.key(of: scope)]?.lastSuccess
    }

    /// The scopes the file as it stands has series for (their labels), each with its last success, in the
    /// file's order; empty when there is no file or it cannot be read.
    public func previousScopes() -> [(scope: MonitoringScope, lastSuccess: Instant?)] {
        let series = previousSeries()
        return series.order.compactMap { key in series[key].map { ($0.scope, $0.lastSuccess) } }
    }

    private func previousSeries() -> MetricsText.Scopes {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return MetricsText.Scopes()  // no previous file (first run) or unreadable: nothing to carry forward
        }
        return MetricsText.scopes(in: text)
    }

    /// Runs `body` holding the file's lock (`.NAME.lock` in the same folder, which node_exporter ignores);
    /// without the lock when that file cannot be made (a folder that takes only the metrics file).
    private func exclusively(_ body: () throws(MetricsError) -> Void) throws(MetricsError) {
        let url = URL(fileURLWithPath: path)
        let lockPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).lock").path
        // Read-only is enough for `flock`, and opens a lock file another user made (a hand run as root).
        let descriptor = open(lockPath, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { return try body() }
        defer { close(descriptor) }
        // Held for a read and a rename: milliseconds. An interrupted wait is retried.
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        try body()
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
