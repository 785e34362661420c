import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("Timestamp rejection: typed errors that name the bad text")
struct TimestampErrorTests {
    @Test(
        "out-of-range fields",
        arguments: [
            ("2024-13-01T00:00:00Z", "invalid timestamp \"2024-13-01T00:00:00Z\": month 13 is out of range (01-12)"),
            (
                "2024-02-30T10:00:00Z",
                "invalid timestamp \"2024-02-30T10:00:00Z\": day 30 is out of range (01-29 for 2024-02)"
            ),
            (
                "2023-02-29T10:00:00Z",
                "invalid timestamp \"2023-02-29T10:00:00Z\": day 29 is out of range (01-28 for 2023-02)"
            ),
            (
                "2024-04-31T10:00:00Z",
                "invalid timestamp \"2024-04-31T10:00:00Z\": day 31 is out of range (01-30 for 2024-04)"
            ),
            ("2024-06-25T25:00:00Z", "invalid timestamp \"2024-06-25T25:00:00Z\": hour 25 is out of range (00-23)"),
            ("2024-06-25T23:60:00Z", "invalid timestamp \"2024-06-25T23:60:00Z\": minute 60 is out of range (00-59)"),
            (
                "2024-06-30T23:59:60Z",
                "invalid timestamp \"2024-06-30T23:59:60Z\": second 60 is out of range (00-59; leap seconds are not accepted)"
            ),
            (
                "2024-06-25T10:00:00+24:00",
                "invalid timestamp \"2024-06-25T10:00:00+24:00\": offset hour 24 is out of range (00-23)"
            ),
            ("0000-01-01T00:00:00Z", "invalid timestamp \"0000-01-01T00:00:00Z\": year 0 is out of range (0001-9999)"),
        ])
    func outOfRange(text: String, message: String) {
        #expect(throws: TimestampError.self) { try Timestamp(parsing: text) }
        do {
            _ = try Timestamp(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test(
        "malformed shapes name what was expected and where",
        arguments: [
            ("garbage", "invalid timestamp \"garbage\": expected a 4-digit year at character 1"),
            ("25:00", "invalid timestamp \"25:00\": expected a 4-digit year at character 1"),
            ("2024-06-25", "invalid timestamp \"2024-06-25\": expected \"T\" between date and time at character 11"),
            (
                "2024-06-25T13:19",
                "invalid timestamp \"2024-06-25T13:19\": expected \":\" after the minutes at character 17"
            ),
            (
                "2024-06-25T13:19:37.Z",
                "invalid timestamp \"2024-06-25T13:19:37.Z\": expected fraction digits after the decimal point at character 21"
            ),
            (
                "2024-06-25T13:19:37.335 UTC",
                "invalid timestamp \"2024-06-25T13:19:37.335 UTC\": expected \"Z\", \"+hh:mm\" or \"-hh:mm\" at character 24"
            ),
            (
                "2024-06-25T13:19:37Zjunk",
                "invalid timestamp \"2024-06-25T13:19:37Zjunk\": expected the end of the timestamp at character 21"
            ),
            (
                "2024-06-25T13:19:37+2",
                "invalid timestamp \"2024-06-25T13:19:37+2\": expected 2-digit offset hours at character 21"
            ),
            (
                "２０２４-06-25T13:19:37Z",
                "invalid timestamp \"２０２４-06-25T13:19:37Z\": expected a 4-digit year at character 1"
            ),
        ])
    func malformed(text: String, message: String) {
        do {
            _ = try Timestamp(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)" == message + " (format YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm])")
        }
    }

    @Test("empty and blank text")
    func empty() {
        #expect(throws: TimestampError.empty) { try Timestamp(parsing: "") }
        #expect(throws: TimestampError.empty) { try Timestamp(parsing: "   ") }
    }

    @Test("ten fraction digits cannot be kept exactly and are refused")
    func tooPrecise() {
        #expect(throws: TimestampError.tooManyFractionDigits(text: "2025-08-13T02:34:56.7845747621Z", count: 10)) {
            try Timestamp(parsing: "2025-08-13T02:34:56.7845747621Z")
        }
    }

    @Test("a huge garbage value is cut in the message")
    func longGarbage() {
        let text = String(repeating: "x", count: 10_000)
        do {
            _ = try Timestamp(parsing: text)
        } catch {
            #expect(error.description.count < 250)
        }
    }
}
