/// The changed part of a value, token by token: runs of letters and digits are tokens, every other
/// character is a token of its own. The common leading and trailing tokens stay plain and the middle is
/// marked, so `CN=corp-root-2024` → `CN=corp-root-2025` marks only `2024` and `2025`.
struct ValueDiff: Equatable {
    /// One stretch of a value: plain, or the part that changed.
    struct Piece: Equatable {
        let text: String
        let changed: Bool
    }

    /// The old value in pieces; its changed piece was removed.
    let old: [Piece]
    /// The new value in pieces; its changed piece was inserted.
    let new: [Piece]

    init(old: String, new: String) {
        let before = ValueDiff.tokens(old)
        let after = ValueDiff.tokens(new)
        var prefix = 0
        while prefix < before.count && prefix < after.count && before[prefix] == after[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < before.count - prefix && suffix < after.count - prefix
            && before[before.count - 1 - suffix] == after[after.count - 1 - suffix]
        {
            suffix += 1
        }
        self.old = ValueDiff.pieces(before, prefix: prefix, suffix: suffix)
        self.new = ValueDiff.pieces(after, prefix: prefix, suffix: suffix)
    }

    private static func pieces(_ tokens: [Substring], prefix: Int, suffix: Int) -> [Piece] {
        let middleEnd = tokens.count - suffix
        let parts = [
            Piece(text: tokens[..<prefix].joined(), changed: false),
            Piece(text: tokens[prefix..<middleEnd].joined(), changed: true),
            Piece(text: tokens[middleEnd...].joined(), changed: false),
        ]
        return parts.filter { !$0.text.isEmpty }
    }

    /// Splits `value` into word tokens (letters and digits) and single separator characters.
    static func tokens(_ value: String) -> [Substring] {
        var tokens: [Substring] = []
        var start = value.startIndex
        var index = value.startIndex
        while index < value.endIndex {
            let isWord = value[index].isLetter || value[index].isNumber
            if !isWord {
                if start < index { tokens.append(value[start..<index]) }
                let next = value.index(after: index)
                tokens.append(value[index..<next])
                start = next
            }
            index = value.index(after: index)
        }
        if start < value.endIndex { tokens.append(value[start...]) }
        return tokens
    }
}
