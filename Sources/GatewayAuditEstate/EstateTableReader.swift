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
    /// The key whose table this reader reads when it is nested (`projects` for `projects = { … }` or
    /// `[account.projects]`); nil for the top level or an account's own table.
    private(set) var parent: String?

    init(file: String, lines: EstateSourceLines, account: Int?, table: TOMLTable) {
        self.file = file
        self.lines = lines
        self.account = account
        self.table = table
    }

    /// A reader of the table under `key` (e.g. `projects`) of this one: its messages name the account and
    /// the whole key (`account "prod".projects.eu-de`) at the line that sets the key inside that table.
    func nested(_ key: String, table: TOMLTable) -> EstateTableReader {
        var reader = EstateTableReader(file: file, lines: lines, account: account, table: table)
        reader.accountName = accountName
        reader.parent = parent.map { "\($0).\(key)" } ?? key
        return reader
    }

    /// How `key` is named in messages: `database`, `account "prod".regions` or `account "prod".projects.eu-de`.
    func keyPath(_ key: String) -> String {
        let path = parent.map { "\($0).\(key)" } ?? key
        guard let account else { return path }
        let label = accountName.map { "account \"\($0)\"" } ?? "account #\(account + 1)"
        return "\(label).\(path)"
    }

    /// The 1-based line that sets `key`; in a nested table, the line of `key` inside it when it can be
    /// found, else the line of the table's own key.
    func line(_ key: String) -> Int {
        guard let parent else { return lines.line(of: key, account: account) }
        return lineInParent(parent, key: key) ?? lines.line(of: parent, account: account)
    }

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
            let line = parent.map { lines.line(of: $0, account: account) } ?? lines.accountLine(account ?? 0)
            throw EstateError(file: file, line: line, key: keyPath(key), problem: "missing; \(hint)")
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

    // MARK: Lines inside a nested table

    /// The 1-based line that sets `key` inside the table `parent` of this reader's account: in an inline
    /// table `parent = { key = … }` (which may run over several lines), as a dotted `parent.key = …`, under
    /// `[account.parent]`, or as the header `[account.parent.key]`; nil when no line does (or the account
    /// has no `[[account]]` header).
    private func lineInParent(_ parent: String, key: String) -> Int? {
        guard let account else { return nil }
        let text = lines.lines
        let headerIndex = lines.accountLine(account) - 1
        guard text.indices.contains(headerIndex), EstateSourceLines.header(of: text[headerIndex]) == "[[account]]"
        else { return nil }
        let end =
            text[(headerIndex + 1)...].firstIndex { EstateSourceLines.header(of: $0) == "[[account]]" } ?? text.count
        let subTable = "[account.\(parent)]"
        let keyHeaders = [key, "\"\(key)\"", "'\(key)'"].map { "[account.\(parent).\($0)]" }
        // nil while in the account's own table, then the header of the sub-table the line is in.
        var section: String?
        for index in (headerIndex + 1)..<end {
            if let header = EstateSourceLines.header(of: text[index]) {
                if keyHeaders.contains(header) { return index + 1 }
                section = header
                continue
            }
            if section == subTable, EstateSourceLines.assignment(Substring(text[index]), key: key) != nil {
                return index + 1
            }
            guard section == nil, let rest = EstateSourceLines.assignment(Substring(text[index]), key: parent) else {
                continue
            }
            if rest.hasPrefix(".") {
                if EstateSourceLines.assignment(rest.dropFirst(), key: key) != nil { return index + 1 }
            } else if let found = EstateTableReader.inlineLine(
                of: key, value: rest.dropFirst(), line: index, in: text[..<end])
            {
                return found
            }
        }
        return nil
    }

    /// The 1-based line where the inline table `value` (the text after `parent =` on the 0-based line
    /// `line`, continued by the lines after it in `text`) sets `key` at its own level; nil when `value` is
    /// no inline table or does not set `key`. Strings and comments are skipped, so `"r2"` as a project id
    /// or in a comment is never taken for the key.
    private static func inlineLine(of key: String, value: Substring, line: Int, in text: ArraySlice<String>) -> Int? {
        var stream: [(character: Character, line: Int)] = value.map { ($0, line + 1) }
        for next in (line + 1)..<max(line + 1, text.endIndex) {
            stream.append(("\n", next + 1))
            stream += text[next].map { ($0, next + 1) }
        }
        func isBare(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
        }
        var open: [Character] = []  // the braces and brackets open here, outermost first
        var expectingKey = false  // right after the inline table's own `{` or `,`
        var position = 0
        while position < stream.count {
            let (character, characterLine) = stream[position]
            position += 1
            if character == " " || character == "\t" || character == "\n" || character == "\r" { continue }
            if open.isEmpty && character != "{" { return nil }
            switch character {
            case "#":
                while position < stream.count && stream[position].character != "\n" { position += 1 }
            case "{", "[":
                open.append(character)
                expectingKey = character == "{" && open.count == 1
            case "}", "]":
                open.removeLast()
                if open.isEmpty { return nil }
                expectingKey = false
            case ",":
                expectingKey = open == ["{"]
            case "\"", "'":
                let triple =
                    position + 1 < stream.count && stream[position].character == character
                    && stream[position + 1].character == character
                if triple { position += 2 }
                var content = ""
                while position < stream.count {
                    let next = stream[position].character
                    position += 1
                    if character == "\"" && next == "\\" && position < stream.count {
                        content.append(next)
                        content.append(stream[position].character)
                        position += 1
                        continue
                    }
                    if next == character {
                        if !triple { break }
                        if position + 1 < stream.count && stream[position].character == character
                            && stream[position + 1].character == character
                        {
                            position += 2
                            break
                        }
                    }
                    if next == "\n" && !triple { break }
                    content.append(next)
                }
                if expectingKey && content == key { return characterLine }
                expectingKey = false
            default:
                if expectingKey && isBare(character) {
                    var bare = String(character)
                    while position < stream.count && isBare(stream[position].character) {
                        bare.append(stream[position].character)
                        position += 1
                    }
                    if bare == key { return characterLine }
                }
                expectingKey = false
            }
        }
        return nil
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
