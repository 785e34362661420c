import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// Why a report could not be produced or checked. No partial file is ever left behind.
public enum ReportError: Error, Sendable, Hashable {
    /// A `--since`/`--until` value is neither an RFC 3339 timestamp nor a `YYYY-MM-DD` date.
    case invalidTime(String)
    /// `--since` is after `--until`.
    case emptyRange(since: String, until: String)
    /// The output file cannot be written where it was asked for: a folder that is missing or not writable, a
    /// name too long, something other than a file in its place. The user chooses another `--output`.
    case cannotWrite(path: String, detail: String)
    /// Writing the output file failed part way, or the file system refused room for it: `code` is the `errno`
    /// of the create, write, sync or rename (`ENOSPC`, `EDQUOT`, `EFBIG` past `ulimit -f`, `EIO`). The partial
    /// file is removed; the advice depends on the cause (``writeAdvice(_:)``).
    case writeFailed(path: String, code: Int32)
    /// The file to check does not exist (a path mistyped, the export moved or deleted).
    case noFile(path: String)
    /// A file to check (an export, its manifest) is there but cannot be opened or read. A missing export is
    /// ``noFile(path:)``; a missing manifest is a failed verification
    /// (``ReportExport/verify(path:publicKeyPath:store:)``).
    case cannotRead(path: String, detail: String)
    /// Reading a file to check failed part way (an I/O error): nothing about its content is known.
    case readFailed(path: String, bytesRead: Int64, detail: String)
    /// A manifest or a JSON document could not be encoded; nothing was written or signed.
    case encodingFailed(what: String, detail: String)
    /// The gateway id has no record in the database (nor is it the name of exactly one resource);
    /// `candidates` are the known resources it may mean, as `id (name)`: names equal to it but for case, or
    /// shared by several resources, and ids it begins (a truncated paste), at most
    /// ``WhenChangedReport/candidateLimit`` of them, then how many more.
    case unknownGateway(GatewayID, candidates: [String] = [])
    /// Several resources keep this latest name (none of them the one present); `candidates` as for
    /// ``unknownGateway(_:candidates:)``.
    case ambiguousName(String, count: Int, candidates: [String])
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
        case .writeFailed(let path, let code):
            return "cannot write \(path) (\(String(cString: strerror(code)))); \(ReportError.writeAdvice(code))"
        case .noFile(let path):
            return "no file at \(path); check the path"
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
        case .unknownGateway(let id, let candidates) where !candidates.isEmpty:
            return "no gateway \"\(TerminalText.line(id.rawValue))\" in this database; did you mean "
                + "\(candidates.joined(separator: ", "))? `gateway-audit gateways` lists the known ids"
        case .ambiguousName(let name, let count, let candidates):
            return
                "\"\(TerminalText.line(name))\" is the name of \(count) resources: \(candidates.joined(separator: ", ")); "
                + "ask by id (`gateway-audit gateways` lists them)"
        case .unknownGateway(let id, _):
            return
                "no gateway \"\(TerminalText.line(id.rawValue))\" in this database; `gateway-audit gateways` lists the known ids"
        case .outsideScopes(let id, let scope):
            return "gateway \"\(id)\" belongs to scope \(scope), which --account, --region or --project leave out"
        }
    }
}

extension ReportError {
    /// The `errno` values of ``writeFailed(path:code:)``: the file system failed or ran out of room, not the
    /// path the user chose (`EACCES`, `ENOENT`, `ENAMETOOLONG`, `EISDIR` and the others are
    /// ``cannotWrite(path:detail:)``).
    public static let writeFailureCodes: Set<Int32> = [ENOSPC, EDQUOT, EFBIG, EIO]

    /// What to do about a write that failed with `code`, in the user's terms.
    static func writeAdvice(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: return "free space or choose another --output"
        case EFBIG: return "raise the file-size limit (ulimit -f) or choose another --output"
        default: return "check the disk or choose another --output"
        }
    }

    /// The error for `code`, the `errno` of creating, writing, syncing or renaming the output file `path`:
    /// ``writeFailed(path:code:)`` for one of ``writeFailureCodes``, else ``cannotWrite(path:detail:)`` with
    /// `detail` (the `errno` text when nil).
    static func writing(_ path: String, code: Int32, detail: String? = nil) -> ReportError {
        if writeFailureCodes.contains(code) { return .writeFailed(path: path, code: code) }
        return .cannotWrite(path: path, detail: detail ?? String(cString: strerror(code)))
    }
}

extension ReportError: LocalizedError {
    public var errorDescription: String? { description }
}
