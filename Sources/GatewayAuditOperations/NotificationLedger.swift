import Crypto
import Foundation
import GatewayAudit
import GatewayAuditCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Remembers the last run whose notification a webhook accepted, in a small file beside the database, so
/// that a night whose notification failed is included in the next night's digest to that webhook: nothing is
/// lost, and a webhook that keeps failing does not hold back the others. One file per webhook and scope
/// (projects sharing a database and a webhook each have their own digests),
/// `<db>.<16 hex digits of the SHA-256 of the URL, a line feed and the scope>.notified`. A webhook without its
/// own file starts where an earlier release left it: `<db>.<16 hex digits of the URL's SHA-256>.notified` (one
/// file per webhook), else `<db>.notified` (one file for every webhook). For a PostgreSQL history
/// `<db>` is `gateway-audit-<16 hex digits of the database URL's SHA-256, password left out>` in the working
/// directory.
public struct NotificationLedger: Sendable {
    /// The ledger file.
    public let path: String
    /// Read in order when ``path`` does not exist yet: the ledgers earlier releases wrote.
    let startsFrom: [String]

    /// The shared ledger of the database at `databasePath` (`<db>.notified`).
    public init(databasePath: String) {
        path = Self.base(databasePath: databasePath) + ".notified"
        startsFrom = []
    }

    /// The ledger of webhook `url` for the runs of `scope` in the database at `databasePath`.
    public init(databasePath: String, url: WebhookURL, scope: ScopeKey) {
        let base = Self.base(databasePath: databasePath)
        let address = url.url.absoluteString
        let scoped = [address, scope.account, scope.cloud, scope.region, scope.projectID].joined(separator: "\n")
        path = base + "." + Self.name(scoped) + ".notified"
        startsFrom = [base + "." + Self.name(address) + ".notified", base + ".notified"]
    }

    /// 16 hex digits of the SHA-256 of `text`.
    private static func name(_ text: String) -> String {
        String(SHA256.hash(data: Data(text.utf8)).hexString.prefix(16))
    }

    private static func base(databasePath: String) -> String {
        guard PostgresLocation.isPostgres(databasePath) else { return databasePath }
        return "gateway-audit-" + ((try? PostgresLocation.parse(databasePath).digest) ?? "postgres")
    }

    /// The last run delivered; nil before the first delivery or when the file is unreadable (the digest then
    /// covers only the current run).
    public func lastDelivered() -> Int64? {
        for file in [path] + startsFrom where FileManager.default.fileExists(atPath: file) { return Self.read(file) }
        return nil
    }

    /// The run in ledger file `path`; nil when it is missing or unreadable.
    private static func read(_ path: String) -> Int64? {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            return nil
        }
    }

    /// Records `run` as delivered (written to a temporary file of this process, then renamed). The ledger
    /// never moves back: a run that finishes after a later one keeps the later one's mark.
    /// - Throws: ``OperationsError/cannotRecord(path:reason:)`` when the folder is not writable.
    public func record(_ run: Int64) throws(OperationsError) {
        if let recorded = lastDelivered(), recorded >= run { return }
        let temporary = path + ".\(getpid()).tmp"
        do {
            try Data("\(run)\n".utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw .cannotRecord(path: path, reason: error.localizedDescription)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotRecord(path: path, reason: reason)
        }
    }

    /// Runs `body` holding the ledger's lock (`flock` on `<ledger>.lock`, waited for as the run lock is:
    /// ``lockExclusively(_:wait:clock:)``), so that two runs notifying at once (overlapping nights) do not both
    /// read the same last run and send the same entries twice: the second reads what the first recorded. After
    /// `wait`, or when the lock file cannot be opened, runs `body` anyway (an entry sent twice beats one not
    /// sent). The kernel drops the lock if the process dies.
    public func exclusively<T>(wait: Duration, _ body: () async -> T) async -> T {
        let descriptor = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return await body() }
        defer { close(descriptor) }
        let locked = (try? await lockExclusively(descriptor, wait: wait)) ?? false
        defer { if locked { flock(descriptor, LOCK_UN) } }
        return await body()
    }
}
