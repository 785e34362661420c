import ArgumentParser
import Foundation
import GatewayAudit
import VPNSimulator

/// The documented exit statuses, and how each error maps to one.
enum ExitStatus: Int32 {
    case success = 0
    case partial = 1
    case usage = 2
    case authentication = 3
    case database = 4
    case verification = 5
    case locked = 75

    static let documentation = """
        Exit status: 0 success; 1 partial (some gateways failed, or the list could not be followed to its end; \
        all others stored); 2 usage or \
        configuration error; 3 authentication rejected; 4 database error; 5 verification failed \
        (history or export altered); 75 another run holds the database (after --lock-wait).
        """

    init(_ error: any Error) {
        switch error {
        case let error as StoreError:
            if case .locked = error { self = .locked } else { self = .database }
        case let error as CommandFailure:
            self = error.status
        case let error as ClientError:
            if case .authentication = error { self = .authentication } else { self = .usage }
        case is ReportError, is ZoneError, is ValidationError, is SimulatorError:
            self = .usage
        default:
            let code = GatewayAuditCommand.exitCode(for: error)
            self = code == .success ? .success : .usage
        }
    }

    /// The one line to print on stderr (nil when ArgumentParser's own output, e.g. help, is due).
    func message(for error: any Error) -> String? {
        switch error {
        case is StoreError, is ReportError, is ZoneError, is CommandFailure, is ClientError, is SimulatorError:
            return "gateway-audit: error: \(error)"
        default:
            let text = GatewayAuditCommand.fullMessage(for: error)
            if self == .success {
                FileHandle.standardOutput.write(Data((text + "\n").utf8))
                return nil
            }
            guard let first = text.split(separator: "\n").first else { return nil }
            let line = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : String(first)
            return "gateway-audit: error: \(line) (see --help)"
        }
    }
}

/// An error raised by a command itself, with its exit status.
struct CommandFailure: Error, CustomStringConvertible {
    let status: ExitStatus
    let description: String
}
