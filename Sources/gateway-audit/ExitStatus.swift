import ArgumentParser
import GatewayAudit
import GatewayAuditDemo

/// The documented exit statuses, and how each error maps to one.
enum ExitStatus: Int32 {
    case success = 0
    case partial = 1
    case usage = 2
    case authentication = 3
    case database = 4
    case verification = 5
    case unreadable = 74
    case locked = 75

    static let documentation = """
        Exit status: 0 success; 1 partial (some gateways failed, or the list could not be followed to its end; \
        all others stored); 2 usage or \
        configuration error; 3 authentication rejected; 4 database error; 5 verification failed \
        (history or export altered, or an export's manifest missing); 74 a file could not be read to the end \
        (nothing was verified), or a report could not be written (no space, file too large; the previous one is \
        kept); \
        75 another run holds the database (after --lock-wait), or a run of an earlier release does, on the first \
        write that upgrades the file, or runs of other scopes kept recording the same resources at the same moment, \
        or a collector wrote a history that verify or a report read as it stood.
        """

    /// The status for an error that ended a command. An error of ours that ArgumentParser wrapped
    /// while parsing (a `transform:` or `validate()` failure) maps like the error itself.
    init(_ error: any Error) {
        switch ExitStatus.ownError(in: error) ?? error {
        case let error as StoreError:
            switch error {
            case .locked, .earlierReleaseRunning, .concurrentWrite, .changedWhileRead, .lockLost: self = .locked
            case .invalidLocation, .differentHistory: self = .usage
            default: self = .database
            }
        case let error as CommandFailure:
            self = error.status
        case let error as ClientError:
            self = ExitStatus(error)
        case let error as ReportError:
            switch error {
            // 74 (EX_IOERR): a file could not be read to the end, or an output could not be written (a full
            // disk, the file-size limit, an I/O error); not something to fix on the command line.
            case .readFailed, .writeFailed: self = .unreadable
            default: self = .usage
            }
        case is ZoneError, is ValidationError, is Demo.Failure:
            self = .usage
        default:
            let code = GatewayAuditCommand.exitCode(for: error)
            self = code == .success ? .success : .usage
        }
    }

    /// The status for a client error, thrown or ending a collection run: rejected credentials,
    /// configuration and trust problems are for the user to fix; anything else cut the run short
    /// after what was fetched was stored.
    init(_ error: ClientError) {
        switch error {
        case .authentication: self = .authentication
        case .insecureEndpoint, .invalidURL, .invalidConfiguration, .transport(.tls, _): self = .usage
        default: self = .partial
        }
    }

    /// What to print for an error that ended a command: one line on standard error, or the help or
    /// version text ArgumentParser produced, for standard output.
    static func message(for error: any Error) -> ExitMessage? {
        if let own = ownError(in: error) {
            return .standardError("gateway-audit: error: \(own)")
        }
        let text = GatewayAuditCommand.fullMessage(for: error)
        if GatewayAuditCommand.exitCode(for: error) == .success {
            return .standardOutput(text)
        }
        guard let first = text.split(separator: "\n").first else { return nil }
        let line = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : String(first)
        return .standardError("gateway-audit: error: \(line) (see --help)")
    }

    /// The error of ours in `error`: itself, or the one ArgumentParser wrapped while parsing (it keeps
    /// the original in its internal `CommandError`, reachable only by reflection). Nil for
    /// ArgumentParser's own errors (unknown flag, missing value, help requested).
    static func ownError(in error: any Error) -> (any Error)? {
        if isOwn(error) { return error }
        return ownError(inChildrenOf: error, depth: 0)
    }

    private static func ownError(inChildrenOf value: Any, depth: Int) -> (any Error)? {
        guard depth < 6 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let error = child.value as? any Error, isOwn(error) { return error }
            if let found = ownError(inChildrenOf: child.value, depth: depth + 1) { return found }
        }
        return nil
    }

    private static func isOwn(_ error: any Error) -> Bool {
        switch error {
        case is StoreError, is ReportError, is ZoneError, is CommandFailure, is ClientError, is Demo.Failure:
            return true
        default: return false
        }
    }
}
