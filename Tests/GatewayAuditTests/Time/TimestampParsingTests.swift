import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("Timestamp parsing: every form API.md documents")
struct TimestampParsingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let raw: String
        let utc: String
        let offset: UTCOffset
        let fraction: String
        let designator: String
        var testDescription: String { raw }
    }

    static let documented: [Case] = [
        Case(
            raw: "2024-06-25T13:19:37.335Z", utc: "2024-06-25T13:19:37.335Z", offset: .zulu, fraction: "335",
            designator: "Z"),
        Case(
            raw: "2024-06-25T13:19:37.335+02:00", utc: "2024-06-25T11:19:37.335Z", offset: .numeric(seconds: 7200),
            fraction: "335", designator: "+02:00"),
        Case(
            raw: "2025-07-17T16:49:28.108+08:00", utc: "2025-07-17T08:49:28.108Z", offset: .numeric(seconds: 28800),
            fraction: "108", designator: "+08:00"),
        Case(
            raw: "2025-08-13T02:34:56.784574762Z", utc: "2025-08-13T02:34:56.784574762Z", offset: .zulu,
            fraction: "784574762", designator: "Z"),
        Case(
            raw: "2025-08-13T02:48:56.995988Z", utc: "2025-08-13T02:48:56.995988Z", offset: .zulu, fraction: "995988",
            designator: "Z"),
        Case(
            raw: "2025-08-13T02:38:05.09035Z", utc: "2025-08-13T02:38:05.09035Z", offset: .zulu, fraction: "09035",
            designator: "Z"),
        Case(
            raw: "2025-06-28T02:22:27.24Z", utc: "2025-06-28T02:22:27.24Z", offset: .zulu, fraction: "24",
            designator: "Z"),
        Case(
            raw: "2025-02-21T06:50:25.5Z", utc: "2025-02-21T06:50:25.5Z", offset: .zulu, fraction: "5", designator: "Z"),
        Case(raw: "2021-12-21T16:49:28Z", utc: "2021-12-21T16:49:28Z", offset: .zulu, fraction: "", designator: "Z"),
        Case(
            raw: "2024-05-21T09:03:41.000000", utc: "2024-05-21T09:03:41.000000Z", offset: .unstated,
            fraction: "000000", designator: ""),
        Case(
            raw: "2024-06-25t13:19:37.335z", utc: "2024-06-25T13:19:37.335Z", offset: .zulu, fraction: "335",
            designator: "z"),
        Case(
            raw: "2024-06-25T13:19:37.335+0200", utc: "2024-06-25T11:19:37.335Z", offset: .numeric(seconds: 7200),
            fraction: "335", designator: "+0200"),
        Case(
            raw: "2024-06-25T01:19:37-03:30", utc: "2024-06-25T04:49:37Z", offset: .numeric(seconds: -12600),
            fraction: "", designator: "-03:30"),
        Case(
            raw: "2024-06-25 13:19:37+00:00", utc: "2024-06-25T13:19:37Z", offset: .numeric(seconds: 0), fraction: "",
            designator: "+00:00"),
    ]

    @Test("parses, keeps raw text, digits and offset", arguments: documented)
    func parsesDocumentedForm(_ c: Case) throws {
        let t = try Timestamp(parsing: c.raw)
        #expect(t.raw == c.raw)
        #expect(t.utcText == c.utc)
        #expect(t.offset == c.offset)
        #expect(t.fractionDigits == c.fraction)
        #expect(t.offsetDesignator == c.designator)
    }

    @Test("nine fraction digits survive raw → instant → UTC text exactly")
    func nanosecondRoundTrip() throws {
        let t = try Timestamp(parsing: "2025-08-13T02:34:56.784574762Z")
        #expect(t.instant.nanoseconds == 784_574_762)
        #expect(t.instant.iso8601() == "2025-08-13T02:34:56.784574762Z")
        let shifted = try Timestamp(parsing: "2025-08-13T04:34:56.000000001+02:00")
        #expect(shifted.utcText == "2025-08-13T02:34:56.000000001Z")
        #expect(shifted.instant.nanosecondsSinceEpoch == 1_755_052_496_000_000_001)
    }

    @Test("no offset is read as UTC but remembered as unstated")
    func unstatedOffset() throws {
        let unstated = try Timestamp(parsing: "2024-05-21T09:03:41.000000")
        let zulu = try Timestamp(parsing: "2024-05-21T09:03:41Z")
        #expect(unstated.instant == zulu.instant)
        #expect(!unstated.offset.isStated)
        #expect(unstated != zulu)
    }

    @Test("the seed pair: same digits under +02:00 and Z are two instants 7200 s apart, a relabelling")
    func relabelledPair() throws {
        let a = try Timestamp(parsing: "2024-06-25T13:19:37.335+02:00")
        let b = try Timestamp(parsing: "2024-06-25T13:19:37.335Z")
        #expect(b.instant.seconds(since: a.instant) == 7200)
        #expect(a.isRelabelling(of: b))
        #expect(a.wallClock == "2024-06-25T13:19:37")
        let reformatted = try Timestamp(parsing: "2024-06-25T11:19:37.335000Z")
        #expect(reformatted.instant == a.instant)
        #expect(!reformatted.isRelabelling(of: a))
    }

    @Test("leap day, year boundaries and pre-epoch instants are exact")
    func calendarEdges() throws {
        #expect(
            try Timestamp(parsing: "2024-02-29T23:59:59.999999999Z").instant.iso8601()
                == "2024-02-29T23:59:59.999999999Z")
        #expect(try Timestamp(parsing: "2025-01-01T00:30:00+01:00").utcText == "2024-12-31T23:30:00Z")
        #expect(
            try Timestamp(parsing: "1969-12-31T23:59:59.5Z").instant == Instant(seconds: -1, nanoseconds: 500_000_000))
        #expect(try Timestamp(parsing: "0001-01-01T00:00:00Z").utcText == "0001-01-01T00:00:00Z")
        #expect(try Timestamp(parsing: "9999-12-31T23:59:59Z").utcText == "9999-12-31T23:59:59Z")
        #expect(try Timestamp(parsing: "2000-02-29T00:00:00Z").instant.seconds == 951_782_400)
    }

    @Test("orders by instant, not by text")
    func ordering() throws {
        let early = try Timestamp(parsing: "2024-06-25T13:19:37.335+02:00")
        let late = try Timestamp(parsing: "2024-06-25T12:00:00Z")
        #expect(early < late)
    }
}
