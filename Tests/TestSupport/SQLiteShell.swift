import Foundation

/// The sqlite3 shell, an independent reader and writer of a test's database (shared by the unit and
/// end-to-end test targets).
public enum SQLiteShell {
    /// Runs `sql` on the database at `path`; returns what the shell printed.
    /// - Throws: ``Failure`` when the shell exits non-zero or writes to stderr: a failed statement is the
    ///   test's failure, not empty output that an expectation may read as a result.
    @discardableResult
    public static func run(_ path: String, _ sql: String) throws -> String {
        let run = try ToolRun(URL(fileURLWithPath: "/usr/bin/sqlite3"), [path, sql])
        guard run.status == 0, run.errors.isEmpty else {
            throw Failure(sql: sql, status: run.status, message: String(decoding: run.errors, as: UTF8.self))
        }
        return String(decoding: run.output, as: UTF8.self)
    }

    /// The shell exited non-zero or wrote to stderr.
    public struct Failure: Error, CustomStringConvertible {
        public let sql: String
        public let status: Int32
        public let message: String

        public var description: String { "sqlite3 exited \(status) on `\(sql)`: \(message)" }
    }
}

/// A command-line tool run to its end, with what it wrote to stdout and stderr.
struct ToolRun {
    let status: Int32
    let output: Data
    let errors: Data

    /// Runs `executable` with `arguments` and waits for it.
    init(_ executable: URL, _ arguments: [String]) throws {
        let run = try Spawn.run(executable.path, arguments)
        (status, output, errors) = (run.status, run.stdout, run.stderr)
    }
}
