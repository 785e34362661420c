/// How many single-character insertions, deletions and substitutions turn one text into another (Levenshtein,
/// over Unicode scalars): what "did you mean" suggestions measure a typo by (time zones, resource ids and names).
package enum EditDistance {
    /// The distance between `a` and `b`; nil when it is more than `limit` (known as soon as a whole row of the
    /// table exceeds it, so a far text costs little).
    package static func between(_ a: String, _ b: String, limit: Int = .max) -> Int? {
        let a = a.unicodeScalars.map(\.value)
        let b = b.unicodeScalars.map(\.value)
        guard abs(a.count - b.count) <= limit else { return nil }
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var smallest = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                smallest = min(smallest, current[j])
            }
            if smallest > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
