import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// Why a report could not be produced or checked. No partial file is ever left behind.
public enum ReportError: Error, Sendable, Hashable {
    /// A `--since`/`--until` value is neither an RFC 3339 timestamp nor a `YYYY-MM-DD` date.
    case invalidTime(String)
    /// `--since` is after `--until`.
    case emptyRange(since: String, until: String)
    /// The output file could not be written.
    case cannotWrite(path: String, detail: String)
    /// A file to check (an export, its manifest) is missing or cannot be opened.
    case cannotRead(path: String, detail: String)
    /// Reading a file to check failed part way (an I/O error): nothing about its content is known.
    case readFailed(path: String, bytesRead: Int64, detail: String)
    /// A manifest or a JSON document could not be encoded; nothing was written or signed.
    case encodingFailed(what: String, detail: String)
    /// The gateway id has no record in the database.
    case unknownGateway(GatewayID)
    /// A key file of a new pair could not be created or written; neither file of the pair was kept.
    case cannotWriteKey(path: String, detail: String)
    /// A key file is missing or not a gateway-audit Ed25519 key.
    case invalidKey(path: String, detail: String)
    /// The gateway belongs to a scope that `--account`, `--region` or `--project` leave out.
    case outsideScopes(GatewayID, scope: String)
}

extension ReportError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidTime(let text):
            return
                "invalid time \"\(text)\": use RFC 3339 (2025-03-12T00:00:00Z) or a date (2025-03-12) in the chosen --tz"
        case .emptyRange(let since, let until):
            return "--since \(since) is after --until \(until); swap them"
        case .cannotWrite(let path, let detail):
            return "cannot write \(path) (\(detail)); choose another --output or check permissions"
        case .cannotRead(let path, let detail):
            return "cannot read \(path): \(detail)"
        case .readFailed(let path, let bytesRead, let detail):
            return "reading \(path) failed after \(bytesRead) bytes (\(detail)); it was not verified either way: "
                + "check the disk or copy the file elsewhere, then verify again"
        case .encodingFailed(let what, let detail):
            return "cannot encode \(what) as JSON (\(detail)); nothing was written. Please report this as a bug"
        case .cannotWriteKey(let path, let detail):
            return "cannot write key \(path): \(detail)"
        case .invalidKey(let path, let detail):
            return "key \(path): \(detail)"
        case .unknownGateway(let id):
            return "no gateway \"\(id)\" in this database; `gateway-audit gateways` lists the known ids"
        case .outsideScopes(let id, let scope):
            return "gateway \"\(id)\" belongs to scope \(scope), which --account, --region or --project leave out"
        }
    }
}

extension ReportError: LocalizedError {
    public var errorDescription: String? { description }
}
