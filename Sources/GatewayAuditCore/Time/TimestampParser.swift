/// A hand-written RFC 3339 parser over UTF-8 bytes: exact fraction digits, every offset style the API
/// uses, and a precise error for everything else. (`ISO8601DateFormatter` truncates to milliseconds and
/// rejects half of what the API sends; see API.md.)
enum TimestampParser {
    static func parse(_ text: String) throws(TimestampError) -> Timestamp {
        let bytes = Array(text.utf8)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { throw .empty }
        var reader = Reader(bytes: bytes, text: text)

        let year = try reader.digits(4, "a 4-digit year")
        try reader.expect(UInt8(ascii: "-"), "\"-\" after the year")
        let month = try reader.digits(2, "a 2-digit month")
        try reader.expect(UInt8(ascii: "-"), "\"-\" after the month")
        let day = try reader.digits(2, "a 2-digit day")
        guard let separator = reader.next(),
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == 0x20
        else { throw reader.malformed("\"T\" between date and time", back: 1) }
        let hour = try reader.digits(2, "a 2-digit hour")
        try reader.expect(UInt8(ascii: ":"), "\":\" after the hour")
        let minute = try reader.digits(2, "2-digit minutes")
        try reader.expect(UInt8(ascii: ":"), "\":\" after the minutes")
        let second = try reader.digits(2, "2-digit seconds")
        let wallClockEnd = reader.position

        var fraction = ""
        if reader.peek == UInt8(ascii: ".") || reader.peek == UInt8(ascii: ",") {
            reader.position += 1
            let start = reader.position
            while let byte = reader.peek, isDigit(byte) { reader.position += 1 }
            let count = reader.position - start
            if count == 0 { throw reader.malformed("fraction digits after the decimal point") }
            if count > 9 { throw .tooManyFractionDigits(text: shown(text), count: count) }
            fraction = String(decoding: bytes[start..<reader.position], as: UTF8.self)
        }

        let offset = try parseOffset(&reader)
        if reader.peek != nil { throw reader.malformed("the end of the timestamp") }

        try check(text, "year", year, 1...9999, "0001-9999")
        try check(text, "month", month, 1...12, "01-12")
        let monthDays = CivilTime.daysInMonth(year: year, month: month)
        try check(text, "day", day, 1...monthDays, "01-\(monthDays) for \(year)-\(pad2(month))")
        try check(text, "hour", hour, 0...23, "00-23")
        try check(text, "minute", minute, 0...59, "00-59")
        try check(text, "second", second, 0...59, "00-59; leap seconds are not accepted")

        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        let localSeconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        var nanos: Int64 = 0
        for byte in fraction.utf8 { nanos = nanos * 10 + Int64(byte - 0x30) }
        for _ in fraction.utf8.count..<9 { nanos *= 10 }
        let instant = Instant(seconds: localSeconds - Int64(offset.seconds), nanoseconds: nanos)
        let wallClock = String(decoding: bytes[0..<wallClockEnd], as: UTF8.self)
        return Timestamp(raw: text, instant: instant, offset: offset, fractionDigits: fraction, wallClock: wallClock)
    }

    /// Byte index where the offset designator starts in `timestamp.raw`.
    static func designatorStart(of timestamp: Timestamp) -> Int {
        switch timestamp.offset {
        case .unstated: return timestamp.raw.utf8.count
        case .zulu: return timestamp.raw.utf8.count - 1
        case .numeric:
            let bytes = Array(timestamp.raw.utf8)
            return bytes.lastIndex { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") } ?? bytes.count
        }
    }

    private static func parseOffset(_ reader: inout Reader) throws(TimestampError) -> UTCOffset {
        guard let byte = reader.peek else { return .unstated }
        if byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "z") {
            reader.position += 1
            return .zulu
        }
        guard byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else {
            throw reader.malformed("\"Z\", \"+hh:mm\" or \"-hh:mm\"")
        }
        reader.position += 1
        let hours = try reader.digits(2, "2-digit offset hours")
        if reader.peek == UInt8(ascii: ":") { reader.position += 1 }
        let minutes = try reader.digits(2, "2-digit offset minutes")
        try check(reader.text, "offset hour", hours, 0...23, "00-23")
        try check(reader.text, "offset minute", minutes, 0...59, "00-59")
        let seconds = hours * 3600 + minutes * 60
        return .numeric(seconds: byte == UInt8(ascii: "-") ? -seconds : seconds)
    }

    /// (`allowed` is built only for the error: every snapshot's timestamps pass here.)
    private static func check(
        _ text: String, _ field: String, _ value: Int, _ range: ClosedRange<Int>, _ allowed: @autoclosure () -> String
    ) throws(TimestampError) {
        if !range.contains(value) {
            throw .outOfRange(text: shown(text), field: field, value: value, allowed: allowed())
        }
    }

    /// The text as an error shows it: long garbage is cut so one bad value cannot flood a log line.
    static func shown(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(80)) + "…" : text
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private struct Reader {
        let bytes: [UInt8]
        let text: String
        var position = 0

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func next() -> UInt8? {
            defer { position += 1 }
            return peek
        }

        mutating func digits(_ count: Int, _ expected: String) throws(TimestampError) -> Int {
            var value = 0
            let start = position
            for _ in 0..<count {
                guard let byte = peek, isDigit(byte) else { throw malformed(expected, back: position - start) }
                value = value * 10 + Int(byte - 0x30)
                position += 1
            }
            return value
        }

        mutating func expect(_ byte: UInt8, _ expected: String) throws(TimestampError) {
            guard peek == byte else { throw malformed(expected) }
            position += 1
        }

        func malformed(_ expected: String, back: Int = 0) -> TimestampError {
            let index = max(0, position - back)
            let characters = String(decoding: bytes.prefix(index), as: UTF8.self).count + max(0, index - bytes.count)
            return .malformed(text: shown(text), expected: expected, position: characters)
        }
    }
}
