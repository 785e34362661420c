import Foundation
import PropertyBased
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// The pieces of one RFC 3339 timestamp in any form the API sends.
struct GeneratedTimestamp: Sendable, CustomStringConvertible {
    var year, month, day, hour, minute, second: Int
    var fraction: String
    var separator: String
    /// nil: no offset; 0 with `zulu`: `Z`/`z`; else seconds east of UTC.
    var offsetSeconds: Int?
    var zulu: String
    var colon: Bool

    var raw: String {
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + separator
        text += pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if !fraction.isEmpty { text += "." + fraction }
        if let offsetSeconds {
            if offsetSeconds == 0 && !zulu.isEmpty {
                text += zulu
            } else {
                let magnitude = abs(offsetSeconds)
                text +=
                    (offsetSeconds < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + (colon ? ":" : "")
                    + pad(magnitude / 60 % 60, 2)
            }
        }
        return text
    }

    /// Seconds since the epoch, computed independently of the parser (Howard Hinnant's days_from_civil).
    var expectedSeconds: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds ?? 0)
    }

    var expectedNanoseconds: Int32 {
        Int32(fraction.padding(toLength: 9, withPad: "0", startingAt: 0)) ?? -1
    }

    var description: String { raw }

    private func pad(_ value: Int, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Valid timestamps; years 2–9998 so that any offset keeps the UTC instant within 0001–9999,
    /// the range an RFC 3339 text can name.
    static let generator = zip(
        zip(
            Gen.int(in: 2...9998), Gen.int(in: 1...12), Gen.int(in: 1...31), Gen.int(in: 0...23), Gen.int(in: 0...59),
            Gen.int(in: 0...59)),
        zip(
            Gen.int(in: 0...9), Gen.int(in: 0...999_999_999), Gen.int(in: 0...2), Gen.int(in: 0...5),
            Gen.int(in: -1439...1439), Gen.bool)
    ).map { date, rest -> GeneratedTimestamp in
        let (year, month, day, hour, minute, second) = date
        let (digits, fractionValue, separatorChoice, offsetChoice, offsetMinutes, colon) = rest
        let nanos = String(fractionValue).padding(toLength: 9, withPad: "0", startingAt: 0)
        let offset: Int?
        let zulu: String
        switch offsetChoice {
        case 0: (offset, zulu) = (nil, "")
        case 1: (offset, zulu) = (0, "Z")
        case 2: (offset, zulu) = (0, "z")
        default: (offset, zulu) = (offsetMinutes * 60, "")
        }
        return GeneratedTimestamp(
            year: year, month: month, day: min(day, daysIn(year: year, month: month)), hour: hour, minute: minute,
            second: second, fraction: String(nanos.prefix(digits)), separator: ["T", "t", " "][separatorChoice],
            offsetSeconds: offset, zulu: zulu, colon: colon)
    }
}

@Suite("Timestamp parser: properties over generated input")
struct TimestampPropertyTests {
    static let zones = ["UTC", "Pacific/Chatham", "America/St_Johns", "Asia/Kolkata", "Europe/Berlin"]

    @Test("every valid timestamp round-trips raw → instant → text → the same instant, keeping its digits")
    func roundTrip() async throws {
        let zones = try Self.zones.map { try Zone(identifier: $0) }
        await propertyCheck(count: 500, input: GeneratedTimestamp.generator) { generated in
            let raw = generated.raw
            let parsed: Timestamp
            do {
                parsed = try Timestamp(parsing: raw)
            } catch {
                Issue.record("\(raw) was rejected: \(error)")
                return
            }
            #expect(parsed.raw == raw)
            #expect(parsed.fractionDigits == generated.fraction)
            #expect(parsed.instant.seconds == generated.expectedSeconds, "\(raw)")
            #expect(parsed.instant.nanoseconds == generated.expectedNanoseconds, "\(raw)")
            let utc = parsed.utcText
            #expect(utc.hasSuffix("Z"))
            let again = try? Timestamp(parsing: utc)
            #expect(again?.instant == parsed.instant, "\(raw) → \(utc)")
            #expect(again?.utcText == utc)
            // Before standard time zones used local mean time, whose offsets have
            // seconds (+00:53:28, St. John's until 1935); RFC 3339 cannot write them: zone texts are checked from 1970.
            for zone in zones where generated.year >= 1970 {
                let text = parsed.text(in: zone)
                #expect((try? Timestamp(parsing: text))?.instant == parsed.instant, "\(raw) in \(zone) → \(text)")
            }
        }
    }

    @Test("arbitrary strings never crash the parser: each parses (and round-trips) or throws a TimestampError")
    func arbitraryStrings() async {
        await propertyCheck(count: 1000, input: Gen.bytes(0...48)) { bytes in
            var choices = ByteChoices(bytes)
            // Half the inputs are built from timestamp characters so they get deep into the parser.
            let text: String
            if choices.below(2) == 0 {
                text = String(decoding: bytes.dropFirst(), as: UTF8.self)
            } else {
                let alphabet = Array("0123456789-:T.Z+ z,t\u{0663}\u{FF11}")
                text = String((0..<choices.below(40)).map { _ in choices.pick(alphabet) })
            }
            Self.check(text)
        }
    }

    @Test("one-character mutations of valid timestamps parse consistently or throw a TimestampError")
    func mutations() async {
        await propertyCheck(count: 500, input: GeneratedTimestamp.generator, Gen.int(in: 0...40), Gen.bytes(1...2)) {
            generated, index, replacement in
            var scalars = Array(generated.raw.unicodeScalars)
            let at = index % (scalars.count + 1)
            var choices = ByteChoices(replacement)
            let scalar = ByteChoices.scalar(choices.next(), choices.next())
            if at < scalars.count && replacement.count == 1 {
                scalars.remove(at: at)
            } else if at < scalars.count {
                scalars[at] = scalar
            } else {
                scalars.append(scalar)
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            Self.check(String(text))
        }
    }

    /// Parses `text`: a success must round-trip through its UTC text, a failure must explain itself
    /// without flooding a log line.
    static func check(_ text: String) {
        do {
            let parsed = try Timestamp(parsing: text)
            // An offset can move the instant of year 0001 or 9999 just outside what RFC 3339 can name.
            let year =
                parsed.utcText.split(separator: "-", omittingEmptySubsequences: false).first.flatMap { Int($0) } ?? 0
            if (1...9999).contains(year) {
                #expect(
                    (try? Timestamp(parsing: parsed.utcText))?.instant == parsed.instant, "\(text.debugDescription)")
            }
        } catch {
            let message = error.description
            #expect(!message.isEmpty)
            #expect(message.count < 400, "an error message quotes at most 80 characters of the input: \(message)")
        }
    }
}
