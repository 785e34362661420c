import ArgumentParser
import Foundation
import GatewayAudit
import Logging

@main
struct GatewayAuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-audit",
        abstract: "Keep the history of site-to-site VPN resources and report what changed, and when.",
        discussion: ExitStatus.documentation,
        version: GatewayAuditVersion.current,
        subcommands: [
            DemoCommand.self, CollectCommand.self, ImportCommand.self, ReportCommand.self, WhenChangedCommand.self,
            GatewaysCommand.self, ResourcesCommand.self, RunsCommand.self,
            VerifyCommand.self, CopyCommand.self, KeygenCommand.self, ConfigCommand.self,
        ]
    )

    /// The first argument, or `GATEWAY_AUDIT_*` variable, whose bytes are not UTF-8 (`argument 3`,
    /// `GATEWAY_AUDIT_DB`); nil when all are.
    static func notUTF8() -> String? {
        for index in 1..<max(1, Int(CommandLine.argc)) {
            if let argument = CommandLine.unsafeArgv[index], String(validatingCString: argument) == nil {
                return "argument \(index)"
            }
        }
        var entry = environ
        while let pointer = entry.pointee {
            defer { entry += 1 }
            let prefix = "GATEWAY_AUDIT_"
            guard strncmp(pointer, prefix, prefix.utf8.count) == 0, String(validatingCString: pointer) == nil else {
                continue
            }
            // The name, up to `=` (its bytes repaired if they are the ones that are not UTF-8).
            return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strcspn(pointer, "=")), as: UTF8.self)
        }
        return nil
    }

    /// Parses, runs, and maps every outcome to a documented exit status with a one-line message.
    static func main() async {
        // Library loggers that a command does not configure itself write to stderr, warnings and up
        // (GATEWAY_AUDIT_LOG_LEVEL=info|debug|trace for more); stdout stays for results.
        let level =
            ProcessInfo.processInfo.environment["GATEWAY_AUDIT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            ?? .warning
        LoggingSystem.bootstrap { _ in StderrLogHandler(logLevel: level) }
        // Past a file-size limit (`ulimit -f`) a write must fail with EFBIG, which SQLite reports and
        // rolls back, rather than SIGXFSZ killing the process in the middle of a transaction.
        signal(SIGXFSZ, SIG_IGN)
        // `CommandLine.arguments` and the environment repair bytes that are not UTF-8 (a file name in
        // Latin-1), so a path would silently name another file: such an argument, or such a value of one of
        // our variables (GATEWAY_AUDIT_DB and the others name files), is refused instead.
        if let refused = Self.notUTF8() {
            StderrLogHandler.write(
                "gateway-audit: error: \(refused) is not valid UTF-8 (a file name in another encoding?); "
                    + "rename the file, or link it under a UTF-8 name and pass that",
                level: .error)
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            switch ExitStatus.message(for: error) {
            case .standardError(let line)?: StderrLogHandler.write(line, level: .error)
            case .standardOutput(let text)?: FileHandle.standardOutput.write(Data((text + "\n").utf8))
            case nil: break
            }
            Foundation.exit(ExitStatus(error).rawValue)
        }
    }
}
