import Foundation
import GatewayAuditCore
import TOMLKit

/// Reads and validates an estate file (TOML). Every problem is an ``EstateError`` naming the file, the
/// line and the key: an unknown key, a wrong type, a literal secret, a duplicate account name.
public enum EstateFile {
    /// Keys that would hold a secret itself; the file names environment variables instead (`<key>_env`).
    static let secretKeys: Set<String> = ["access_key", "secret_key", "security_token", "token", "password"]

    /// Reads and validates the file at `path`.
    /// - Throws: ``EstateError``.
    public static func load(path: String) throws(EstateError) -> Estate {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EstateError(
                file: path, line: 0, key: "",
                problem: "cannot read the estate file (\(error.localizedDescription)); check the path and permissions")
        }
        return try parse(text, path: path)
    }

    /// Validates `text` as the estate file `path`.
    /// - Throws: ``EstateError``.
    public static func parse(_ text: String, path: String) throws(EstateError) -> Estate {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw EstateError(
                file: path, line: error.source.begin.line, key: "",
                problem: "not valid TOML: \(error.description)")
        } catch {
            throw EstateError(file: path, line: 0, key: "", problem: "not valid TOML: \(error)")
        }
        let lines = EstateSourceLines(text)
        let reader = EstateTableReader(file: path, lines: lines, account: nil, table: table)
        try reader.rejectUnknownKeys(allowed: ["database", "account"])
        let database = try reader.string("database")
        guard let accountValues = table["account"] else {
            throw EstateError(
                file: path, line: 1, key: "account",
                problem: "no [[account]] table; add one per account (see README.md, \"A whole estate\")")
        }
        guard let array = accountValues.array, accountValues.type == .array else {
            throw reader.wrongType("account", expected: "an array of tables ([[account]])", found: accountValues)
        }
        var accounts: [EstateAccount] = []
        var names: [String: Int] = [:]
        for index in 0..<array.count {
            guard let accountTable = array[index].table else {
                throw EstateError(
                    file: path, line: lines.accountLine(index), key: "account",
                    problem: "expected tables ([[account]]), found \(array[index].type)")
            }
            var accountReader = EstateAccountReader(
                reader: EstateTableReader(file: path, lines: lines, account: index, table: accountTable))
            let account = try accountReader.read()
            if let first = names[account.name] {
                throw EstateError(
                    file: path, line: account.lines["name"] ?? lines.accountLine(index),
                    key: "account \"\(account.name)\".name",
                    problem: "duplicate account name (first used on line \(first)); give each account its own name")
            }
            names[account.name] = account.lines["name"] ?? lines.accountLine(index)
            accounts.append(account)
        }
        if accounts.isEmpty {
            throw EstateError(file: path, line: 1, key: "account", problem: "no account; add an [[account]] table")
        }
        return Estate(path: path, database: database, accounts: accounts)
    }
}
