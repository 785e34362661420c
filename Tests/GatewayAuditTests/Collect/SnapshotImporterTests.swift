import Foundation
import PropertyBased
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("import: backfilling saved API responses")
struct SnapshotImporterTests {
    @Test(
        "observation times in file names",
        arguments: [
            ("cgw-2025-03-01T02:00:00Z.json", "2025-03-01T02:00:00Z"),
            ("2025-03-01T02-00-00Z.json", "2025-03-01T02:00:00Z"),
            ("dump-2025-03-01T04-00-00+02:00.json", "2025-03-01T02:00:00Z"),
            ("gateways.20250301T020000Z.json", "2025-03-01T02:00:00Z"),
            ("2025-03-01.json", "2025-03-01T00:00:00Z"),
            ("nightly_2025-03-01_gateways.json", "2025-03-01T00:00:00Z"),
        ])
    func fileNames(name: String, expected: String) {
        #expect(SnapshotImporter.time(inFileName: name)?.iso8601() == expected)
    }

    @Test(
        "after a time written with dashes, -hhmm that cannot be an offset is a page counter; +hhmm and -0500 are offsets",
        arguments: [
            ("2025-03-07T02-00-00-0001.json", "2025-03-07T02:00:00Z"),
            ("2025-03-07T02-00-00-0002.json", "2025-03-07T02:00:00Z"),
            ("2025-03-07T04-00-00+02:00.json", "2025-03-07T02:00:00Z"),
            ("2025-03-07T04:00:00+0200.json", "2025-03-07T02:00:00Z"),
            ("2025-03-07T03-00-00+0100.json", "2025-03-07T02:00:00Z"),
            ("2025-03-06T21-00-00-0500.json", "2025-03-07T02:00:00Z"),
            ("2025-03-06T20-30-00-0530.json", "2025-03-07T02:00:00Z"),
        ])
    func pageCounters(name: String, expected: String) {
        #expect(SnapshotImporter.time(inFileName: name)?.iso8601() == expected)
    }

    @Test("a listing saved page by page (-0001 … -0030) is one night, though -0030 alone reads as an offset")
    func manyPages() {
        let names = (1...30).map { String(format: "2025-03-07T02-00-00-%04d.json", $0) }
        let counted = SnapshotImporter.pageCounted(names)
        #expect(counted == ["2025-03-07T02-00-00"])
        #expect(
            Set(names.map { SnapshotImporter.time(inFileName: $0, pageCounted: counted)?.iso8601() }) == [
                "2025-03-07T02:00:00Z"
            ])
        // One file with its offset keeps it; so does one local time in two offsets.
        #expect(
            SnapshotImporter.pageCounted(["2025-03-06T21-00-00-0500.json", "2025-03-07T21-00-00-0500.json"]).isEmpty)
        #expect(
            SnapshotImporter.pageCounted(["us-2025-03-07T02-00-00-0500.json", "2025-03-07T02-00-00-0600.json"]).isEmpty)
    }

    @Test("a name holding an impossible date is refused naming it, never read as the file's modification time")
    func impossibleDate() async throws {
        #expect(SnapshotImporter.invalidTime(inFileName: "2025-02-29.json") == "2025-02-29")
        #expect(SnapshotImporter.invalidTime(inFileName: "2025-02-28.json") == nil)
        #expect(SnapshotImporter.invalidTime(inFileName: "gateways.json") == nil)
        let f = try StoreFixture()
        let bad = f.directory.appendingPathComponent("2025-02-29.json").path
        try Data(#"{"customer_gateways":[{"id":"a"}]}"#.utf8).write(to: URL(fileURLWithPath: bad))
        await #expect(
            throws: ImportError.unreadable(
                path: bad,
                detail: "its name holds 2025-02-29, which is not a valid time; rename it or pass --observed-at")
        ) {
            try await SnapshotImporter(database: f.database).importFiles([bad])
        }
        #expect(try f.store.runs().isEmpty)
    }

    @Test(
        "names without a time give nil",
        arguments: ["gateways.json", "v5-list.json", "12345.json", "2025-13-01T02:00:00Z-2025-03-02.json"])
    func noTime(name: String) {
        #expect(SnapshotImporter.time(inFileName: name) == nil)
    }

    @Test(
        "file-name times: lower-case t and z, long fractions, offsets without a colon, the leftmost form",
        arguments: [
            ("a-2025-03-01t02-00-00z.json", "2025-03-01T02:00:00Z"),
            ("2025-03-01T02:00:00.1234567891Z.json", "2025-03-01T02:00:00.123456789Z"),
            ("2025-03-01T04:00:00+0200.json", "2025-03-01T02:00:00Z"),
            ("12025-03-01T02:00:00Z_20250301T030000Z.json", "2025-03-01T03:00:00Z"),
            ("x20250301T030000Z-2025-03-01T02:00:00Z.json", "2025-03-01T03:00:00Z"),
        ])
    func fileNameForms(name: String, expected: String) {
        let time = SnapshotImporter.time(inFileName: name)
        #expect(time != nil && time == Timestamp.parsedIfValid(expected)?.instant)
    }

    /// The three regular expressions the scanner replaced, as the first match from the left was defined.
    static func regexTime(inFileName name: String) -> Instant? {
        let dateTime =
            /(?:^|[^0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2})([:\-])([0-9]{2})[:\-]([0-9]{2})(\.[0-9]{1,9})?([Zz]|[+\-][0-9]{2}:?[0-9]{2})?/
        let compact = /(?:^|[^0-9])([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z/
        let date = /(?:^|[^0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})/
        var candidates: [(position: String.Index, text: String)] = []
        if let m = name.firstMatch(of: dateTime) {
            let (_, day, h, separator, mi, s, fraction, matched) = m.output
            // After dashes, a `-hhmm` that cannot be an offset (hours over 14, minutes not 00, 30 or 45) is a
            // page counter.
            let counter = matched.map { text in
                let digits = text.dropFirst()
                return text.count == 5 && text.hasPrefix("-")
                    && (Int(digits.prefix(2)) ?? 0 > 14 || ![0, 30, 45].contains(Int(digits.suffix(2)) ?? 0))
            }
            let offset = separator == "-" && counter == true ? nil : matched
            candidates.append((m.range.lowerBound, "\(day)T\(h):\(mi):\(s)\(fraction ?? "")\(offset ?? "")"))
        }
        if let m = name.firstMatch(of: compact) {
            let (_, y, mo, d, h, mi, s) = m.output
            candidates.append((m.range.lowerBound, "\(y)-\(mo)-\(d)T\(h):\(mi):\(s)Z"))
        }
        if let m = name.firstMatch(of: date) {
            candidates.append((m.range.lowerBound, "\(m.output.1)T00:00:00Z"))
        }
        let ordered = candidates.enumerated().sorted {
            ($0.element.position, $0.offset) < ($1.element.position, $1.offset)
        }
        return ordered.lazy.compactMap { Timestamp.parsedIfValid($0.element.text)?.instant }.first
    }

    @Test("the file-name scanner finds what the regular expressions found, in generated names")
    func fileNameScannerMatchesRegex() async {
        await propertyCheck(count: 3000, input: Gen.bytes(0...40)) { bytes in
            var choices = ByteChoices(bytes)
            // Time-like parts, whole or broken, between other characters (combining marks, a prepended
            // character, CR LF: one grapheme cluster with the digit or letter beside them): most names hold a
            // match or nearly one.
            var name = choices.pick(["", "x", "1", "cgw-", "a_", "é", "-", "\u{600}", "1\u{301}", "\r\n"])
            for _ in 0...choices.below(2) {
                name += choices.pick(["2025", "1999", "0000", "12025", "202"]) + choices.pick(["-", "", "_"])
                name +=
                    choices.pick(["03", "13", "3"]) + choices.pick(["-", ""])
                    + choices.pick(["01", "31", "1", "01\u{301}"])
                if choices.below(4) > 0 {
                    name += choices.pick(["T", "t", "_", "", "T\u{301}"]) + choices.pick(["02", "24", "2"])
                    name += choices.pick([":", "-", ""]) + choices.pick(["00", "60"]) + choices.pick([":", "-", ""])
                    name += choices.pick(["00", "59", "0"])
                    name += choices.pick(["", ".", ".1", ".123", ".123456789", ".1234567890"])
                    name += choices.pick([
                        "", "Z", "z", "+02:00", "-0530", "+02:0", "+2", "+24:00", "Z\u{301}", "+02:00\u{301}",
                    ])
                }
                name += choices.pick(["", "-", ".json", "_x", "9", "T020000Z", "\u{301}", "\u{600}"])
            }
            #expect(SnapshotImporter.time(inFileName: name) == Self.regexTime(inFileName: name), "\(name)")
        }
    }

    func write(_ f: StoreFixture, _ name: String, _ body: String) throws -> String {
        let path = f.directory.appendingPathComponent(name).path
        try Data(body.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("list pages, single responses, arrays and bare objects; one run per night; a rename found")
    func shapes() async throws {
        let f = try StoreFixture()
        let n1 = try write(
            f, "2025-03-01T02-00-00Z.json",
            #"{"customer_gateways":[{"id":"a","name":"alpha","updated_at":"2025-02-01T00:00:00Z"},{"id":"b","name":"bravo"}],"page_info":{"current_count":2}}"#
        )
        let n1b = try write(
            f, "c-2025-03-01T02-00-00Z.json", #"{"customer_gateway":{"id":"c","name":"charlie"},"request_id":"x"}"#)
        let n2 = try write(
            f, "2025-03-02T02-00-00Z.json",
            #"[{"id":"a","name":"alpha-2","updated_at":"2025-03-01T12:00:00Z"},{"id":"b","name":"bravo"},{"id":"c","name":"charlie"}]"#
        )
        let n3 = try write(
            f, "a-2025-03-03T02-00-00Z.json", #"{"id":"a","name":"alpha-2","updated_at":"2025-03-01T12:00:00Z"}"#)
        let summary = try await SnapshotImporter(database: f.database).importFiles([n3, n2, n1b, n1])
        #expect(summary.files == 4 && summary.runs == 3)
        #expect(summary.counts.new == 3 && summary.counts.changed == 1 && summary.counts.unchanged == 3)
        let rename = try f.changes().filter { $0.field == "name" }
        #expect(rename.map(\.newValue) == ["alpha-2"])
        #expect(rename.first?.lastSeenBefore?.iso8601() == "2025-03-01T02:00:00Z")
        #expect(rename.first?.firstSeenAfter.iso8601() == "2025-03-02T02:00:00Z")
        #expect(try f.store.runs().map(\.scope) == [.import, .import, .import])
        #expect(try f.verify().isIntact)
    }

    @Test("--listings-complete records a missing gateway as gone")
    func listingsComplete() async throws {
        let f = try StoreFixture()
        let n1 = try write(f, "2025-03-01.json", #"{"customer_gateways":[{"id":"a"},{"id":"b"}]}"#)
        let n2 = try write(f, "2025-03-02.json", #"{"customer_gateways":[{"id":"a"}]}"#)
        let summary = try await SnapshotImporter(database: f.database, listingsComplete: true).importFiles([n1, n2])
        #expect(summary.counts.gone == 1)
        #expect(try f.store.gateways().map(\.state) == [.present, .gone])
    }

    @Test(
        "--listings-complete: a night whose list pages stop short records nothing gone; pages that reach the end do"
    )
    func listingsStoppingShort() async throws {
        let f = try StoreFixture()
        let logs = LogCapture()
        let n1 = try write(f, "2025-03-01.json", #"{"customer_gateways":[{"id":"a"},{"id":"b"},{"id":"c"}]}"#)
        // One page of three: it names a next page, and counts 3.
        let n2 = try write(
            f, "2025-03-02.json",
            #"{"customer_gateways":[{"id":"a"}],"page_info":{"next_marker":"a","current_count":1},"total_count":3}"#)
        // Two pages, the last one (saved by Windows, with a byte order mark) naming no next: c went.
        let n3a = try write(
            f, "2025-03-03-p1.json", #"{"customer_gateways":[{"id":"a"}],"page_info":{"next_marker":"a"}}"#)
        let n3b = try write(
            f, "2025-03-03-p2.json", "\u{FEFF}" + #"{"customer_gateways":[{"id":"b"}],"page_info":{"current_count":1}}"#
        )
        // The same gateway in two files of one night, with other content: the first file's is kept, and said.
        let n4a = try write(f, "2025-03-04-a.json", #"{"customer_gateways":[{"id":"a"},{"id":"b"}]}"#)
        let n4b = try write(f, "2025-03-04-b.json", #"{"customer_gateway":{"id":"a","name":"other"}}"#)
        // A full last page names a next one too; its count says the listing is whole: b went.
        let n5 = try write(
            f, "2025-03-05.json", #"{"customer_gateways":[{"id":"a"}],"page_info":{"next_marker":"a"},"total_count":1}"#
        )
        let summary = try await SnapshotImporter(database: f.database, listingsComplete: true, logger: logs.logger())
            .importFiles([n1, n2, n3a, n3b, n4a, n4b, n5])
        #expect(summary.runs == 5)
        #expect(try f.store.runs().map(\.counts.gone) == [1, 0, 1, 0, 0])
        #expect(
            try f.store.gateways().map { "\($0.gatewayID) \($0.state?.rawValue ?? "-")" } == [
                "a present", "b gone", "c gone",
            ])
        #expect(try f.changes().filter { $0.gatewayID == "a" }.map(\.change) == [.firstSeen])
        #expect(
            logs.all.filter { $0.hasPrefix("warning") } == [
                "warning 2025-03-02T00:00:00Z: the night's files hold 1 of the 3 gateways its list pages count "
                    + "(total_count); no gateway is recorded as gone that night (--listings-complete)",
                "warning \(n4b): gateway a differs from its copy in \(n4a), observed at the same time; recorded the "
                    + "one in \(n4a) (the first file by name)",
            ])
        #expect(try f.verify().isIntact)
    }

    @Test("--listings-complete: a gateway re-created under a new id the same night links to the one it replaces")
    func listingsCompleteRecreation() async throws {
        let f = try StoreFixture()
        let n1 = try write(
            f, "2025-03-01.json",
            #"{"customer_gateways":[{"id":"gw-old","id_value":"198.51.100.7"},{"id":"gw-keep","id_value":"198.51.100.8"}]}"#
        )
        let n2 = try write(
            f, "2025-03-02.json",
            #"{"customer_gateways":[{"id":"gw-keep","id_value":"198.51.100.8"},{"id":"gw-new","id_value":"198.51.100.7"}]}"#
        )
        let summary = try await SnapshotImporter(database: f.database, listingsComplete: true).importFiles([n1, n2])
        #expect(summary.counts.gone == 1 && summary.counts.new == 3)
        let firstSeen = try f.changes().filter { $0.change == .firstSeen }.map {
            "\($0.gatewayID) \($0.oldValue ?? "-")"
        }
        #expect(firstSeen.sorted() == ["gw-keep -", "gw-new gw-old", "gw-old -"])
        #expect(try f.verify().isIntact)
    }

    @Test("--listings-complete records only customer gateways gone: the files list no other kind")
    func listingsCompleteOnlyGateways() async throws {
        let f = try StoreFixture()
        // A VPN gateway collected from an endpoint no cloud is recognised by, project p: the import's scope.
        try await f.runResources(night: 1, [try KindFixture.vpnGateway()])
        let n2 = try write(f, "2025-03-02.json", #"{"customer_gateways":[{"id":"a"}]}"#)
        let n3 = try write(f, "2025-03-03.json", #"{"customer_gateways":[{"id":"a"}]}"#)
        let summary = try await SnapshotImporter(database: f.database, projectID: "p", listingsComplete: true)
            .importFiles([n2, n3])
        #expect(summary.counts.gone == 0)
        #expect(try f.store.gateway("vgw-1")?.state == .present)
    }

    @Test(
        "a night that cannot be recorded leaves no run and no row of it; the nights before stay whole",
        arguments: StoreBackend.available)
    func wholeNights(backend: StoreBackend) async throws {
        let f = try await StoreFixture.make(backend: backend)
        // Night 1 (2025-03-01T02:00Z) collects a VPN gateway "v"; a saved listing then claims "v" is a customer gateway.
        try await f.runResources(night: 1, [try KindFixture.vpnGateway(id: "v")])
        let good = try write(f, "2025-03-02.json", #"{"customer_gateways":[{"id":"a"}]}"#)
        let clash = try write(f, "2025-03-03.json", #"{"customer_gateways":[{"id":"b"},{"id":"v"}]}"#)
        // An input to fix, named with its night and file (exit 2), not a database error (exit 4).
        await #expect(
            throws: ImportError.refusedNight(
                observedAt: "2025-03-03T00:00:00Z", files: [clash],
                detail: "customer gateway v: the id is already recorded as a VPN gateway")
        ) {
            try await SnapshotImporter(database: f.database).importFiles([good, clash])
        }
        // No third run, not even one left running: the clashing night is one transaction that never committed.
        let runs = try f.store.runs()
        #expect(runs.map(\.status) == [.complete, .complete])
        #expect(runs.map(\.scope) == [.import, .all])
        #expect(try f.store.gateways().map(\.gatewayID.rawValue).sorted() == ["a", "v"])
        #expect(try f.verify().isIntact)
        // Fixed, the night imports on its own.
        let fixed = try write(f, "2025-03-03T00-00-01Z.json", #"{"customer_gateways":[{"id":"b"}]}"#)
        let summary = try await SnapshotImporter(database: f.database).importFiles([fixed])
        #expect(summary.runs == 1 && summary.counts.new == 1)
        #expect(try f.store.runs().map(\.status) == [.complete, .complete, .complete])
    }

    @Test("a broken file stops the import naming it; earlier nights stay; older files are refused")
    func errors() async throws {
        let f = try StoreFixture()
        let good = try write(f, "2025-03-01.json", #"{"customer_gateways":[{"id":"a"}]}"#)
        let bad = try write(f, "2025-03-02.json", #"{"customer_gateways":[{"id":"a"}"#)
        await #expect {
            try await SnapshotImporter(database: f.database).importFiles([good, bad])
        } throws: { error in
            guard case ImportError.unreadable(let path, _) = error else { return false }
            return path == bad && "\(error)".contains("nothing from this file or later ones was imported")
        }
        #expect(try f.store.runs().count == 1)
        // A file saved over several lines is pointed at as an editor shows it (columns in characters).
        let lines = try write(
            f, "2025-03-03.json", "{\"customer_gateways\": [\n  {\"id\": \"a\", \"name\": \"Zürich\" \"x\": 1}\n]}")
        await #expect(
            throws: ImportError.unreadable(
                path: lines,
                detail: #"not valid JSON (expected "," or "}" at line 2, column 32 (byte 56), found "\"")"#)
        ) {
            try await SnapshotImporter(database: f.database).importFiles([lines])
        }
        // Valid JSON beyond a double is not called invalid; it is pointed at too (a long number shortened).
        let huge = try write(
            f, "2025-03-04.json",
            "{\"customer_gateways\": [\n  {\"id\": \"a\", \"bgp_asn\": 1e999999999999999999999999999999999999999999}\n]}"
        )
        await #expect(
            throws: ImportError.unreadable(
                path: huge,
                detail:
                    "JSON gateway-audit cannot read (number 1e99999999999999999999999999999999999999… at line 2, column 26 (byte 49) is out of range)"
            )
        ) {
            try await SnapshotImporter(database: f.database).importFiles([huge])
        }
        let old = try write(f, "2025-02-01.json", #"{"customer_gateways":[{"id":"a"}]}"#)
        await #expect(
            throws: ImportError.olderThanHistory(
                path: old, observedAt: "2025-02-01T00:00:00Z", latest: "2025-03-01T00:00:00Z")
        ) {
            try await SnapshotImporter(database: f.database).importFiles([old])
        }
    }
}
