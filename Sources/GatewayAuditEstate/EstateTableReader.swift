import GatewayAuditCore
import TOMLKit

/// Reads typed values from one table of an estate file (the top level or one account), turning every
/// mismatch into an ``EstateError`` at the key's line.
struct EstateTableReader {
    let file: String
    let lines: EstateSourceLines
    /// The account's index, nil for the top level.
    let account: Int?
    let table: TOMLTable
    /// The account's name once known, for messages.
    var accountName: String?

    init(file: String, lines: EstateSourceLines, account: Int?, table: TOMLTable) {
        self.file = file
        self.lines = lines
        self.account = account
        self.table = table
    }

    /// How `key` is named in messages: `database`, or `account "prod".regions`.
    func keyPath(_ key: String) -> String {
        guard let account else { return key }
        let label = accountName.map { "account \"\($0)\"" } ?? "account #\(account + 1)"
        return "\(label).\(key)"
    }

    func line(_ key: String) -> Int { lines.line(of: key, account: account) }

    func error(_ key: String, _ problem: String) -> EstateError {
        EstateError(file: file, line: line(key), key: keyPath(key), problem: problem)
    }

    func wrongType(_ key: String, expected: String, found value: any TOMLValueConvertible) -> EstateError {
        error(key, "expected \(expected), found \(EstateTableReader.describe(value))")
    }

    /// Rejects keys outside `allowed`; a literal secret gets its own message.
    func rejectUnknownKeys(allowed: [String]) throws(EstateError) {
        for key in table.keys.sorted(by: { line($0) < line($1) }) where !allowed.contains(key) {
            if EstateFile.secretKeys.contains(key) {
                throw error(
                    key,
                    "a secret must not be written in the estate file; put it in an environment variable and name "
                        + "that variable with \(key)_env")
            }
            throw error(key, "unknown key; allowed here: \(allowed.joined(separator: ", "))")
        }
    }

    /// An optional non-empty string.
    func string(_ key: String) throws(EstateError) -> String? {
        guard let value = table[key] else { return nil }
        guard value.type == .string, let text = value.string else {
            throw wrongType(key, expected: "a string", found: value)
        }
        guard !text.isEmpty else { throw error(key, "must not be empty") }
        return text
    }

    /// A required non-empty string.
    func requiredString(_ key: String, hint: String) throws(EstateError) -> String {
        guard let text = try string(key) else {
            throw EstateError(
                file: file, line: lines.accountLine(account ?? 0), key: keyPath(key), problem: "missing; \(hint)")
        }
        return text
    }

    /// A non-empty array of non-empty strings.
    func strings(_ key: String) throws(EstateError) -> [String]? {
        guard let value = table[key] else { return nil }
        guard value.type == .array, let array = value.array else {
            throw wrongType(key, expected: "an array of strings", found: value)
        }
        var result: [String] = []
        for element in array {
            guard element.type == .string, let text = element.string, !text.isEmpty else {
                throw wrongType(key, expected: "an array of non-empty strings", found: element)
            }
            result.append(text)
        }
        guard !result.isEmpty else { throw error(key, "must list at least one value") }
        return result
    }

    /// A table of strings (`{ "eu-de" = "https://…" }`).
    func stringTable(_ key: String) throws(EstateError) -> [String: String] {
        guard let value = table[key] else { return [:] }
        guard value.type == .table, let inner = value.table else {
            throw wrongType(key, expected: "a table of strings by region", found: value)
        }
        var result: [String: String] = [:]
        for name in inner.keys {
            guard let element = inner[name], element.type == .string, let text = element.string else {
                throw error(
                    key,
                    "expected a string for \"\(name)\", found "
                        + (inner[name].map(EstateTableReader.describe) ?? "nothing"))
            }
            result[name] = text
        }
        return result
    }

    static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a floating-point number"
        case .bool: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        case .date, .time, .dateTime: return "a date or time"
        }
    }
}
