import Foundation

/// The sqlite3 shell, an independent reader and writer of a test's database (shared by the unit and
/// end-to-end test targets).
public enum SQLiteShell {
    /// Runs `sql` on the database at `path`; returns what the shell printed.
    /// - Throws: ``Failure`` when the shell exits non-zero or writes to stderr: a failed statement is the
    ///   test's failure, not empty output that an expectation may read as a result.
    public static func run(_ path: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, message.isEmpty else {
            throw Failure(
                sql: sql, status: process.terminationStatus, message: String(decoding: message, as: UTF8.self))
        }
        return String(decoding: printed, as: UTF8.self)
    }

    /// The shell exited non-zero or wrote to stderr.
    public struct Failure: Error, CustomStringConvertible {
        public let sql: String
        public let status: Int32
        public let message: String

        public var description: String { "sqlite3 exited \(status) on `\(sql)`: \(message)" }
    }
}
