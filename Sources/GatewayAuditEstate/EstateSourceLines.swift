/// Finds where keys are in an estate file's text. TOMLKit reports lines for syntax errors only, so a
/// key's line is found by scanning: the top level runs up to the first table header, account `n` from
/// its `n`-th `[[account]]` header up to the next header (its `[account.x]` sub-tables included).
struct EstateSourceLines {
    /// The file's lines, without line ends.
    let lines: [String]
    /// 0-based indexes of the `[[account]]` header lines.
    private let accountHeaders: [Int]

    init(_ text: String) {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
        lines = all
        accountHeaders = all.indices.filter { EstateSourceLines.header(of: all[$0]) == "[[account]]" }
    }

    /// The 1-based line of account `index`'s header (1 when the file has none, e.g. an inline array).
    func accountLine(_ index: Int) -> Int {
        index < accountHeaders.count ? accountHeaders[index] + 1 : 1
    }

    /// The 1-based line that sets `key` at the top level (`account` nil) or in account `account`;
    /// the block's first line when no line does.
    func line(of key: String, account: Int? = nil) -> Int {
        let range: Range<Int>
        if let account, account < accountHeaders.count {
            let start = accountHeaders[account] + 1
            let end = account + 1 < accountHeaders.count ? accountHeaders[account + 1] : lines.count
            range = start..<end
        } else if account != nil {
            return 1
        } else {
            range = 0..<(lines.firstIndex { EstateSourceLines.header(of: $0) != nil } ?? lines.count)
        }
        var inOwnTable = true
        for index in range {
            if let header = EstateSourceLines.header(of: lines[index]) {
                // A sub-table of this account: `[account.endpoints]` sets the key `endpoints`.
                if header == "[account.\(key)]" { return index + 1 }
                inOwnTable = false
                continue
            }
            if inOwnTable && EstateSourceLines.sets(lines[index], key: key) { return index + 1 }
        }
        if let account { return accountLine(account) }
        return 1
    }

    /// The trimmed header of a table line (`[x]`, `[[x]]`), or nil for any other line.
    static func header(of line: String) -> String? {
        let trimmed = line.trimmingSpaces
        guard trimmed.hasPrefix("[") else { return nil }
        let withoutComment = trimmed.split(separator: "#", maxSplits: 1).first.map(String.init) ?? trimmed
        return withoutComment.trimmingSpaces.replacingOccurrences(of: " ", with: "")
    }

    /// Whether `line` assigns `key` (bare or quoted, possibly dotted: `key.sub = …`).
    private static func sets(_ line: String, key: String) -> Bool { assignment(Substring(line), key: key) != nil }

    /// What follows `key` when `line` assigns it (bare or quoted, possibly dotted): the rest from its `=`
    /// or `.`; nil when `line` does not start with `key`.
    static func assignment(_ line: Substring, key: String) -> Substring? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        for form in [key, "\"\(key)\"", "'\(key)'"] where trimmed.hasPrefix(form) {
            let rest = trimmed.dropFirst(form.count).drop { $0 == " " || $0 == "\t" }
            if rest.hasPrefix("=") || rest.hasPrefix(".") { return rest }
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
