import PropertyBased

/// Builds structured test input (JSON trees, strings with hostile characters) from a byte array a
/// generator produced: shrinking the bytes shrinks the structure, and any byte array is valid input.
struct ByteChoices {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var exhausted: Bool { position >= bytes.count }

    /// The next byte (0 once the input is used up, so every structure ends).
    mutating func next() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }

    /// A number in `0..<count`.
    mutating func below(_ count: Int) -> Int {
        count <= 1 ? 0 : Int(next()) % count
    }

    /// One element of `choices`.
    mutating func pick<T>(_ choices: [T]) -> T {
        choices[below(choices.count)]
    }

    /// A short string mixing plain letters with the characters that break naive code: quotes,
    /// separators, line ends, controls, combining marks, astral and non-characters.
    mutating func string(maxLength: Int = 12) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<below(maxLength + 1) {
            scalars.append(ByteChoices.scalar(next(), next()))
        }
        return String(scalars)
    }

    static let hostile: [Unicode.Scalar] = [
        "\"", "\\", ",", ";", "'", "=", "+", "-", "@", "\t", "\r", "\n", "\0", "\u{1F}", "\u{7F}", "%", "&", "?",
        "/", " ", "#", ":", "{", "}", "[", "]", "\u{00E9}", "\u{0301}", "\u{FEFF}", "\u{200B}", "\u{2028}",
        "\u{FFFD}", "\u{FFFF}", "\u{1F600}", "\u{10FFFF}", "\u{0130}", "\u{00DF}", "ﬁ",
    ]

    static func scalar(_ kind: UInt8, _ value: UInt8) -> Unicode.Scalar {
        switch kind % 4 {
        case 0: return Unicode.Scalar(UInt8(ascii: "a") + value % 26)
        case 1: return hostile[Int(value) % hostile.count]
        case 2: return Unicode.Scalar(value % 0x60 + 0x20)
        default: return Unicode.Scalar(0x00A0 + UInt32(value) * 37) ?? "\u{FFFD}"
        }
    }
}

extension Gen where Value == [UInt8] {
    /// Arbitrary bytes, shrinking towards fewer and smaller ones.
    static func bytes(_ count: ClosedRange<Int> = 0...256) -> Generator<[UInt8], some SendableSequenceType> {
        Gen<UInt8>.value(in: 0...255).array(of: count)
    }
}
