/// Text for one line of a terminal, cron mail or chat message: line breaks shown as `⏎`, a tab as a space (a
/// table's columns count every character one wide), every other control
/// character (CR, ESC, BEL, the C1 range) and the bidirectional overrides as `�`. A name or value from the
/// API can then neither start a line that reads as another resource nor drive the reader's terminal.
public enum TerminalText {
    /// `text` safe for one line.
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "\n" where previous == "\r":
                continue
            case "\n", "\r":
                scalars.append("⏎")
            case "\t":
                scalars.append(" ")
            default:
                scalars.append(isControl(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return String(scalars)
    }

    /// A C0 control (tab included), DEL, a C1 control, or an embedding, override or isolate of bidirectional text.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}
