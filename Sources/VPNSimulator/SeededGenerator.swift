/// A SplitMix64 random number generator: the same seed gives the same sequence on every platform,
/// which keeps ids, tokens, request ids and probabilistic faults reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` lower-case hex digits.
    mutating func hex(_ count: Int) -> String {
        var text = ""
        while text.count < count {
            let word = String(next(), radix: 16)
            text += String(repeating: "0", count: 16 - word.count) + word
        }
        return String(text.prefix(count))
    }

    /// A version-4-shaped UUID in lower case.
    mutating func uuid() -> String {
        let h = Array(hex(32))
        func part(_ range: Range<Int>) -> String { String(h[range]) }
        return part(0..<8) + "-" + part(8..<12) + "-4" + part(13..<16) + "-a" + part(17..<20) + "-" + part(20..<32)
    }
}
