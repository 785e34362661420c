import Foundation

/// Why an estate file cannot be used: one line naming the file, the line and the key, and what to do.
/// Nothing is collected when the file has one.
public struct EstateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The estate file.
    public let file: String
    /// The 1-based line the problem is on (0 when the file could not be read at all).
    public let line: Int
    /// The key, e.g. `database` or `account "prod".secret_key` (empty for a syntax error).
    public let key: String
    /// What is wrong and what to do.
    public let problem: String

    /// Creates an error.
    public init(file: String, line: Int, key: String, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    /// `file:line: key: problem`.
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return key.isEmpty ? "\(place): \(problem)" : "\(place): \(key): \(problem)"
    }
}

extension EstateError: LocalizedError {
    public var errorDescription: String? { description }
}
