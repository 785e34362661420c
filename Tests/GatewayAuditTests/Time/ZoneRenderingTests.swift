import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("Rendering instants in IANA zones")
struct ZoneRenderingTests {
    @Test("the same instant in four zones")
    func fourZones() throws {
        let t = try Timestamp(parsing: "2024-06-25T13:19:37.335Z")
        #expect(t.text(in: .utc) == "2024-06-25T13:19:37.335Z")
        #expect(t.text(in: try Zone(identifier: "Europe/Berlin")) == "2024-06-25T15:19:37.335+02:00")
        #expect(t.text(in: try Zone(identifier: "Asia/Shanghai")) == "2024-06-25T21:19:37.335+08:00")
        #expect(t.text(in: try Zone(identifier: "America/Sao_Paulo")) == "2024-06-25T10:19:37.335-03:00")
        #expect(t.text(in: try Zone(identifier: "Asia/Kolkata")) == "2024-06-25T18:49:37.335+05:30")
    }

    @Test("Berlin's repeated autumn hour: 02:30 happens at +02:00 and again at +01:00")
    func autumnFold() throws {
        let berlin = try Zone(identifier: "Europe/Berlin")
        let first = try Timestamp(parsing: "2024-10-27T00:30:00.123456789Z")
        let second = try Timestamp(parsing: "2024-10-27T01:30:00.123456789Z")
        #expect(first.text(in: berlin) == "2024-10-27T02:30:00.123456789+02:00")
        #expect(second.text(in: berlin) == "2024-10-27T02:30:00.123456789+01:00")
        #expect(try Timestamp(parsing: "2024-10-27T00:59:59Z").text(in: berlin) == "2024-10-27T02:59:59+02:00")
        #expect(try Timestamp(parsing: "2024-10-27T01:00:00Z").text(in: berlin) == "2024-10-27T02:00:00+01:00")
    }

    @Test("Berlin's spring gap: 01:59:59+01:00 is followed by 03:00:00+02:00")
    func springGap() throws {
        let berlin = try Zone(identifier: "Europe/Berlin")
        #expect(try Timestamp(parsing: "2024-03-31T00:59:59Z").text(in: berlin) == "2024-03-31T01:59:59+01:00")
        #expect(try Timestamp(parsing: "2024-03-31T01:00:00Z").text(in: berlin) == "2024-03-31T03:00:00+02:00")
    }

    @Test(
        "a day or wall clock in a zone: midnight that does not exist (Santiago, 2024-09-08) starts the day at 01:00-03:00"
    )
    func wallClocksInGaps() throws {
        let santiago = try Zone(identifier: "America/Santiago")
        func text(_ typed: String, endOfDay: Bool = false, in zone: Zone) throws -> String {
            try ReportTime.parse(typed, in: zone, endOfDay: endOfDay).iso8601()
        }
        // Clocks went from 00:00 (-04:00) to 01:00 (-03:00): the day starts at 04:00Z, not on the 7th.
        #expect(try text("2024-09-08", in: santiago) == "2024-09-08T04:00:00Z")
        #expect(try text("2024-09-07", endOfDay: true, in: santiago) == "2024-09-08T03:59:59.999999999Z")
        #expect(try text("2024-09-08T00:30:00", in: santiago) == "2024-09-08T04:30:00Z")
        // Berlin's gap at 02:00 keeps its reading of before (02:30 is 03:30+02:00); the days around it are whole.
        let berlin = try Zone(identifier: "Europe/Berlin")
        #expect(try text("2024-03-31T02:30:00", in: berlin) == "2024-03-31T01:30:00Z")
        #expect(try text("2024-03-31", in: berlin) == "2024-03-30T23:00:00Z")
        #expect(try text("2024-03-31", endOfDay: true, in: berlin) == "2024-03-31T21:59:59.999999999Z")
        // A timestamp without an offset is a wall clock in the report's zone; with one, it is that instant.
        #expect(try text("2025-03-12T08:00:00", in: berlin) == "2025-03-12T07:00:00Z")
        #expect(try text("2025-03-12T08:00:00Z", in: berlin) == "2025-03-12T08:00:00Z")
        #expect(try text("2025-03-12T08:00:00+05:45", in: berlin) == "2025-03-12T02:15:00Z")
    }

    @Test("Sao Paulo had DST until 2019; southern summer is -02:00")
    func southernDST() throws {
        let sp = try Zone(identifier: "America/Sao_Paulo")
        #expect(try Timestamp(parsing: "2018-12-01T12:00:00Z").text(in: sp) == "2018-12-01T10:00:00-02:00")
        #expect(try Timestamp(parsing: "2024-12-01T12:00:00Z").text(in: sp) == "2024-12-01T09:00:00-03:00")
    }

    @Test("minimal exact fraction digits when no count is given")
    func minimalDigits() {
        #expect(Instant(seconds: 0).iso8601() == "1970-01-01T00:00:00Z")
        #expect(Instant(seconds: 0, nanoseconds: 5_000_000).iso8601() == "1970-01-01T00:00:00.005Z")
        #expect(Instant(seconds: 0, nanoseconds: 5_000).iso8601() == "1970-01-01T00:00:00.000005Z")
        #expect(Instant(seconds: 0, nanoseconds: 5).iso8601() == "1970-01-01T00:00:00.000000005Z")
    }

    @Test("an unknown zone is refused with a suggestion")
    func unknownZone() {
        #expect(throws: ZoneError.unknown("Europe/Berlln", suggestion: "Europe/Berlin")) {
            try Zone(identifier: "Europe/Berlln")
        }
        do {
            _ = try Zone(identifier: "Europe/Berlln")
        } catch {
            #expect(error.description == "unknown time zone \"Europe/Berlln\" (did you mean Europe/Berlin?)")
        }
        #expect(throws: ZoneError.self) { try Zone(identifier: "Mars/Olympus_Mons_Base") }
        #expect(throws: ZoneError.self) { try Zone(identifier: "") }
    }

    @Test("tz database entries without a slash are zones; abbreviations and GMT+n are refused, naming the zone")
    func entriesWithoutSlash() throws {
        // 2026-07-01T12:00:00Z: summer time where the zone has it.
        let july = Instant(seconds: 1_782_907_200)
        // Debian 13 and Ubuntu 23.10 on move the backward names into tzdata-legacy: where a name's file is
        // missing, the zone is refused like any unknown name instead of taken with Foundation's guess.
        let directory = ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
        for (name, offset) in [("CET", 7_200), ("EST", -18_000), ("EST5EDT", -14_400), ("Japan", 32_400)] {
            if FileManager.default.fileExists(atPath: directory + "/" + name) {
                #expect(try Zone(identifier: name).offsetSeconds(at: july) == offset, "\(name)")
            } else {
                #expect(throws: ZoneError.self, "\(name)") { try Zone(identifier: name) }
            }
        }
        #expect(throws: ZoneError.unknown("PST", suggestion: "America/Los_Angeles")) { try Zone(identifier: "PST") }
        #expect(throws: ZoneError.self) { try Zone(identifier: "GMT+5") }
        // No far-fetched guess for a short name: "Berlin" is not one edit from any zone.
        #expect(throws: ZoneError.unknown("Berlin", suggestion: nil)) { try Zone(identifier: "Berlin") }
    }

    @Test("file name component replaces slashes")
    func fileName() throws {
        #expect(try Zone(identifier: "Europe/Berlin").fileNameComponent == "Europe-Berlin")
        #expect(
            try Zone(identifier: "America/Argentina/Buenos_Aires").fileNameComponent == "America-Argentina-Buenos_Aires"
        )
    }
}
