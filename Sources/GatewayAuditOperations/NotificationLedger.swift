import Foundation
import GatewayAudit

/// Remembers the last run whose notification every webhook accepted, in a small file beside the
/// database (`<db>.notified`), so that a night whose notification failed is included in the next
/// night's digest: nothing is lost. For a PostgreSQL history the file is
/// `gateway-audit-<16 hex digits of the URL's SHA-256, password left out>.notified` in the working directory.
public struct NotificationLedger: Sendable {
    /// The ledger file.
    public let path: String

    /// The ledger of the database at `databasePath`.
    public init(databasePath: String) {
        guard PostgresLocation.isPostgres(databasePath) else {
            path = databasePath + ".notified"
            return
        }
        path = "gateway-audit-" + ((try? PostgresLocation.parse(databasePath).digest) ?? "postgres") + ".notified"
    }

    /// The last run delivered to every webhook; nil before the first delivery or when the file is unreadable
    /// (the digest then covers only the current run).
    public func lastDelivered() -> Int64? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            return nil
        }
    }

    /// Records `run` as delivered (written to a temporary file, then renamed).
    /// - Throws: ``OperationsError/cannotRecord(path:reason:)`` when the folder is not writable.
    public func record(_ run: Int64) throws(OperationsError) {
        let temporary = path + ".tmp"
        do {
            try Data("\(run)\n".utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw .cannotRecord(path: path, reason: error.localizedDescription)
        }
        guard rename(temporary, path) == 0 else {
            throw .cannotRecord(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
