import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// Writes a report file with its sidecar manifest (and signature), and checks one later.
public enum ReportExport {
    /// Renders `options` into `path` and `<path>.manifest.json` describing it (signed with `signingKey`):
    /// both are complete on disk before either replaces what is there, so a failure (a key that cannot be
    /// read, a manifest that cannot be written) leaves the previous export and its manifest as they were.
    /// - Returns: the manifest written.
    /// - Throws: ``ReportError`` or ``StoreError``; the report is never left half-written.
    @discardableResult
    public static func write(
        store: any HistoryReading, options: ReportOptions, to path: String, signingKey: String? = nil
    ) throws -> ReportManifest {
        let head = try store.chainHead()
        let scopeHeads = try store.sealedScopeHeads()
        let latestRun = try store.runs(limit: 1).first
        var report = try ReportFile(path: path)
        let rows = try ReportRenderer(store: store, options: options).render(to: &report)
        let digest = try report.finish()
        var manifest = ReportManifest(
            file: URL(fileURLWithPath: path).lastPathComponent, sha256: digest, bytes: report.byteCount,
            view: options.view, format: options.format, zone: options.zone.identifier,
            filters: options.filterDescription, rows: rows, chainHead: head, endpoint: latestRun?.endpoint ?? "",
            project: latestRun?.projectID ?? "", toolVersion: GatewayAuditVersion.current,
            generatedAt: options.generatedAt.iso8601(fractionDigits: 0), signature: nil)
        if scopeHeads.count > 1 { manifest.scopeHeads = scopeHeads }
        if let signingKey { try SigningKey.sign(&manifest, privateKeyPath: signingKey) }
        let file = try ReportFile(path: ReportManifest.path(for: path))
        file.write(String(decoding: try manifest.jsonData(), as: UTF8.self))
        try file.finish()
        // Before either replaces the previous pair: a file read as it stood must not have changed meanwhile.
        try store.confirmUnchanged()
        // Neither replaces its predecessor unless both can: a folder where the manifest goes would otherwise stop
        // the pair half way, the new report beside the previous manifest.
        try report.checkReplaceable()
        try file.checkReplaceable()
        try report.publish()
        try file.publish()
        return manifest
    }

    /// The outcome of checking an exported file.
    public struct Check: Sendable {
        /// Statements that held, for the user.
        public let passed: [String]
        /// What failed; empty when the export verifies.
        public let problems: [String]
    }

    /// Checks `path` against its manifest; the signature when signed (or when a public key is given);
    /// and, with a store, that the manifest's chain head belongs to that database's history. A file without
    /// its manifest does not verify: the proof was removed, or the file never had one.
    /// - Throws: ``ReportError/noFile(path:)`` when nothing is at `path`; ``ReportError`` when the file, a
    ///   manifest that is there or a key cannot be read (``ReportError/readFailed(path:bytesRead:detail:)`` for an
    ///   I/O error part way: never reported as a change).
    public static func verify(path: String, publicKeyPath: String?, store: (any HistoryReading)?) throws -> Check {
        if !exists(path) { throw ReportError.noFile(path: path) }
        let manifestPath = ReportManifest.path(for: path)
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            if !exists(manifestPath) {
                return Check(
                    passed: [],
                    problems: [
                        "the manifest \(manifestPath) is missing, so nothing proves the file; only exports written "
                            + "by `gateway-audit report` have one"
                    ])
            }
            throw ReportError.cannotRead(path: manifestPath, detail: unreadable(manifestPath))
        }
        let manifest: ReportManifest
        do {
            manifest = try JSONDecoder().decode(ReportManifest.self, from: data)
        } catch {
            return Check(
                passed: [],
                problems: ["the manifest \(manifestPath) is not a valid manifest (it was edited or damaged)"])
        }
        var passed: [String] = []
        var problems: [String] = []
        // The signature covers the manifest as decoded; other readers (jq, Python) take a repeated name's last
        // value and show members this tool ignores. The file must say exactly what was decoded.
        if !manifest.matches(data) {
            problems.append(
                "the manifest \(manifestPath) holds a repeated or unknown member: it was edited after export, and "
                    + "other tools would read claims its signature does not cover")
        }
        let digest = try ReportManifest.sha256(ofFile: path)
        if digest.hex == manifest.sha256 && digest.bytes == manifest.bytes {
            passed.append("file matches its manifest (SHA-256 \(digest.hex))")
        } else {
            problems.append(
                "the file's SHA-256 is \(digest.hex), the manifest says \(manifest.sha256): the file was changed after export"
            )
        }
        if manifest.signature != nil || publicKeyPath != nil {
            switch try SigningKey.check(manifest, publicKeyPath: publicKeyPath) {
            case .success(let fingerprint):
                passed.append(
                    "manifest signature valid (key \(fingerprint))"
                        + (publicKeyPath == nil ? "; pass --public-key to check it is the expected key" : ""))
            case .failure(let problem):
                problems.append(problem.description)
            }
        }
        if let store {
            if try store.recordedHead(manifest.chainHead) {
                passed.append("chain head \(manifest.chainHead) belongs to the database's history")
            } else {
                problems.append(
                    "chain head \(manifest.chainHead) was never recorded by this database: the export comes from another or an altered history"
                )
            }
            let unrecorded = try (manifest.scopeHeads ?? []).filter { !(try store.recordedHead($0.head)) }
            if let first = unrecorded.first {
                problems.append(
                    "the head of scope \(first.scope), \(first.head), was never recorded by this database"
                        + (unrecorded.count > 1 ? " (nor \(unrecorded.count - 1) other scope head(s))" : "")
                        + ": the export comes from another or an altered history")
            } else if let heads = manifest.scopeHeads {
                passed.append("the heads of its \(heads.count) scopes belong to the database's history")
            }
        }
        return Check(passed: passed, problems: problems)
    }

    /// Whether anything is at `path` (a link followed): false only when nothing is (`ENOENT`, or `ENOTDIR` for a
    /// file named as a folder on the way), not when it cannot be looked at.
    private static func exists(_ path: String) -> Bool {
        var status = stat()
        if stat(path, &status) == 0 { return true }
        let code = errno
        return code != ENOENT && code != ENOTDIR
    }

    /// Why the manifest at `path`, which is there, cannot be read: `errno` in words, or what is in its place.
    private static func unreadable(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        close(descriptor)
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            return "a folder is in its place, not a manifest"
        }
        return "it could not be read"
    }
}
