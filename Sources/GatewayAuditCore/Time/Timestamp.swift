/// A timestamp exactly as the API sent it, together with the instant it denotes.
///
/// The raw text is kept byte for byte, so two values that denote the same instant but were written
/// differently (`.335Z` and `.335000+00:00`) stay distinguishable, and two values with the same digits
/// under different offsets (`13:19:37.335+02:00` and `13:19:37.335Z`) can be recognised as relabelled.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The text as received, unchanged.
    public let raw: String
    /// The UTC instant the text denotes (an unstated offset is read as UTC).
    public let instant: Instant
    /// The offset designator that was sent.
    public let offset: UTCOffset
    /// The fraction-of-second digits exactly as sent (`"335"`, `"784574762"`, `""` for none).
    public let fractionDigits: String
    /// The local wall-clock digits as sent, without fraction or offset (`2024-06-25T13:19:37`).
    public let wallClock: String

    /// Parses RFC 3339 text as the v5 API sends it.
    ///
    /// Accepts 0 to 9 fraction digits, `T`/`t`/space between date and time, and `Z`, `z`, `±hh:mm`,
    /// `±hhmm` or no offset (read as UTC, remembered as ``UTCOffset/unstated``).
    /// - Throws: ``TimestampError`` naming the text and what is wrong with it.
    public init(parsing text: String) throws(TimestampError) {
        self = try TimestampParser.parse(text)
    }

    init(raw: String, instant: Instant, offset: UTCOffset, fractionDigits: String, wallClock: String) {
        self.raw = raw
        self.instant = instant
        self.offset = offset
        self.fractionDigits = fractionDigits
        self.wallClock = wallClock
    }

    /// The offset designator exactly as sent (`"Z"`, `"+02:00"`, `"+0800"`, or `""` when none was sent).
    public var offsetDesignator: String {
        String(decoding: Array(raw.utf8).dropFirst(TimestampParser.designatorStart(of: self)), as: UTF8.self)
    }

    /// The instant in UTC with `Z`, keeping exactly as many fraction digits as were sent.
    public var utcText: String {
        instant.iso8601(in: .utc, fractionDigits: fractionDigits.count)
    }

    /// The instant rendered in `zone` with its offset there, keeping the fraction digits sent.
    public func text(in zone: Zone) -> String {
        instant.iso8601(in: zone, fractionDigits: fractionDigits.count)
    }

    /// True when `other` has the same wall-clock digits and fraction but a different offset designator:
    /// the same local reading relabelled, which moves the instant.
    public func isRelabelling(of other: Timestamp) -> Bool {
        wallClock == other.wallClock && fractionDigits == other.fractionDigits && offset != other.offset
            && instant != other.instant
    }

    public var description: String { raw }

    /// Orders by instant, then by raw text so that ordering is total and stable.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.instant != rhs.instant ? lhs.instant < rhs.instant : lhs.raw < rhs.raw
    }
}

extension Timestamp: Codable {
    /// Decodes from a JSON string by parsing it.
    /// - Throws: `DecodingError.dataCorrupted` carrying the ``TimestampError`` message.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Timestamp(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as the raw text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(raw)
    }
}

extension Timestamp {
    /// The parsed timestamp, or nil when `text` is not one: for read models that keep the raw text
    /// beside the value (an unparseable timestamp is reported as an anomaly, not as an error).
    public static func parsedIfValid(_ text: String) -> Timestamp? {
        do {
            return try Timestamp(parsing: text)
        } catch {
            return nil
        }
    }
}
