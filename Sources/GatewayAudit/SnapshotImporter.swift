import Foundation
import GatewayAuditAnalyse
import GatewayAuditClient
import GatewayAuditCore
import GatewayAuditStore
import Logging

/// Backfills history from saved API responses (a nightly `curl`, a git-scraping repository): each file
/// is a single-gateway response, a list page, a JSON array of gateways or one bare gateway object.
/// Files with the same observation time form one run; runs are recorded oldest first.
public struct SnapshotImporter: Sendable {
    let database: HistoryDatabase
    let projectID: String
    let listingsComplete: Bool
    let logger: Logger

    /// Creates an importer. With `listingsComplete`, a gateway known as present but absent from a
    /// night's files is recorded as gone that night.
    public init(
        database: HistoryDatabase, projectID: String = "", listingsComplete: Bool = false,
        logger: Logger = Logger(label: "gateway-audit.import")
    ) {
        self.database = database
        self.projectID = projectID
        self.listingsComplete = listingsComplete
        self.logger = logger
    }

    /// What an import recorded.
    public struct Summary: Sendable, Hashable {
        /// Files read.
        public let files: Int
        /// Runs recorded (one per distinct observation time).
        public let runs: Int
        /// Observation counts over all runs.
        public let counts: RunCounts
    }

    /// Imports `paths`. The observation time of each file is `observedAt` when given, else a timestamp
    /// in its name (`2025-03-01T02:00:00Z`, `2025-03-01T02-00-00Z`, `20250301T020000Z`, `2025-03-01`),
    /// else its modification time.
    /// - Throws: ``ImportError`` naming the file (runs before it stay recorded), or ``StoreError``.
    public func importFiles(_ paths: [String], observedAt: Instant? = nil) async throws -> Summary {
        let queries = HistoryQueries(database)
        var groups: [Instant: [String]] = [:]
        let counted = SnapshotImporter.pageCounted(paths.map { URL(fileURLWithPath: $0).lastPathComponent })
        for path in paths {
            groups[try observationTime(of: path, override: observedAt, pageCounted: counted), default: []].append(path)
        }
        let times = groups.keys.sorted()
        if let first = times.first, let latest = try queries.runs(limit: 1).first, latest.startedAt >= first {
            throw ImportError.olderThanHistory(
                path: groups[first]?.first ?? "", observedAt: first.iso8601(), latest: latest.startedAt.iso8601())
        }
        var counts = RunCounts()
        // The next night's files are parsed on another thread while this night is recorded: parsing
        // is a third of an import, and the two need different cores. A file that fails to parse still
        // fails after the nights before it are recorded, as it did when parsing came first.
        let nightFiles = times.map { (groups[$0] ?? []).sorted() }
        var next = times.first.map { parse(nightFiles[0], at: $0) }
        for (index, time) in times.enumerated() {
            guard let parsing = next else { break }
            let (parsed, seen, incompleteListing) = try await parsing.value
            let observations = consume parsed
            // A listing that did not reach its end says nothing of what is missing from it (as a collection
            // stops short of recording gone resources): that night records what it holds, and nothing gone.
            let marksGone = listingsComplete && incompleteListing == nil
            if listingsComplete, let reason = incompleteListing {
                logger.warning(
                    "\(time.iso8601()): \(reason); no gateway is recorded as gone that night (--listings-complete)")
            }
            next = index + 1 < times.count ? parse(nightFiles[index + 1], at: times[index + 1]) : nil
            // A night is one run in one transaction: an import stopped midway keeps whole nights only, and
            // each night commits once instead of three times. A collector writing some of the same
            // resources meanwhile makes the night be prepared and recorded again (ObservationRecorder).
            let run: RecordedRun
            do {
                run = try await record(at: time, marksGone: marksGone, seen: seen, observations: observations)
            } catch {
                // An input to fix (a file listing an id the history holds as another kind), not a damaged database.
                guard case .invalidBatch(let detail) = error else { throw error }
                throw ImportError.refusedNight(observedAt: time.iso8601(), files: nightFiles[index], detail: detail)
            }
            for outcome in run.outcomes { counts.add(outcome) }
            logger.info(
                "imported \(nightFiles[index].count) file(s) observed at \(time.iso8601()) as run \(run.id): \(run.outcomes.count) gateways"
            )
            // Freeing a night's parsed JSON trees took a twentieth of an import on the path from one night's
            // recording to the next: the last references go to a task of their own.
            let recorded = (consume observations, consume seen)
            Task.detached(priority: .background) { withExtendedLifetime(recorded) {} }
        }
        return Summary(files: paths.count, runs: times.count, counts: counts)
    }

    /// Records one night as one run (prepared again when a collector wrote some of its resources meanwhile).
    private func record(at time: Instant, marksGone: Bool, seen: Set<GatewayID>, observations: [Observation])
        async throws(StoreError) -> RecordedRun
    {
        let (queries, writer) = (HistoryQueries(database), HistoryWriter(database))
        let recorder = ObservationRecorder(writer: writer)
        let info = RunInfo(endpoint: "import", projectID: projectID, scope: .import)
        return try await ObservationRecorder.retryingConflicts { () throws(StoreError) -> RecordedRun in
            try await writer.recordRun(info, at: time, finishedAt: time, lockWait: .seconds(10)) {
                () throws(StoreError) -> [SnapshotWrite] in
                var all = observations
                if marksGone {
                    // Only customer gateways: the files list no other kind (a VPN gateway collected in the
                    // same scope is not missing from them). The missing ones go first, as the collector
                    // records them: a gateway re-created under a new id that night then links to the one
                    // it replaces.
                    let gone = try await queries.knownResources(in: info.scopeKey).filter {
                        $0.kind == .customerGateway && $0.state == .present && !seen.contains($0.gatewayID)
                    }.map { Observation(gatewayID: $0.gatewayID, observedAt: time, result: .gone) }
                    if !gone.isEmpty { all = gone + observations }
                }
                return try await recorder.writes(for: all)
            }
        }
    }

    /// Starts parsing one night's files, in the order given, into observations, each gateway once (the
    /// first file's; a later one with other content for it is logged); with the ids seen, and why the
    /// night's list pages do not add up to a whole listing (nil when they do, or when it has none).
    private func parse(_ paths: [String], at time: Instant)
        -> Task<([Observation], Set<GatewayID>, String?), any Error>
    {
        let logger = logger
        return Task.detached {
            var observations: [Observation] = []
            var seen = Set<GatewayID>()
            var firstFile: [GatewayID: (path: String, content: String)] = [:]
            var pages: [ResourcePageInfo] = []
            for path in paths {
                let (gateways, page) = try response(in: path)
                if let page { pages.append(page) }
                for gateway in gateways {
                    guard seen.insert(gateway.id).inserted else {
                        if let first = firstFile[gateway.id], first.content != gateway.contentSHA256 {
                            logger.warning(
                                "\(path): gateway \(gateway.id) differs from its copy in \(first.path), observed at the same time; recorded the one in \(first.path) (the first file by name)"
                            )
                        }
                        continue
                    }
                    firstFile[gateway.id] = (path, gateway.contentSHA256)
                    observations.append(.present(gateway, at: time))
                }
            }
            return (observations, seen, ResourcePageInfo.incompleteness(of: pages, listed: seen.count))
        }
    }

    /// Every gateway in one saved response.
    /// - Throws: ``ImportError/unreadable(path:detail:)``.
    public func gateways(in path: String) throws(ImportError) -> [CustomerGateway] {
        try response(in: path).gateways
    }

    /// Every gateway in one saved response, and its paging when it is a list page. A UTF-8 byte order mark
    /// (which Windows tools write) is skipped.
    /// - Throws: ``ImportError/unreadable(path:detail:)``.
    func response(in path: String) throws(ImportError) -> (gateways: [CustomerGateway], page: ResourcePageInfo?) {
        // A UTF-8 byte order mark is skipped by the parser (its error offsets stay the file's).
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, detail: "cannot read the file")
        }
        do {
            let json = try JSONValue(data: data)
            if let list = json["customer_gateways"]?.arrayValue {
                return (try list.map { try CustomerGateway(json: $0) }, ResourcePageInfo(json))
            }
            if let single = json["customer_gateway"] { return ([try CustomerGateway(json: single)], nil) }
            if let array = json.arrayValue { return (try array.map { try CustomerGateway(json: $0) }, nil) }
            return ([try CustomerGateway(json: json)], nil)
        } catch ModelError.invalidJSON(let detail) {
            // A saved file, not a response: no proxy to blame.
            // A syntax error says what it expected; a number out of range or nesting too deep is valid JSON
            // this tool does not read.
            let what = detail.hasPrefix("expected ") ? "not valid JSON" : "JSON gateway-audit cannot read"
            throw .unreadable(path: path, detail: "\(what) (\(detail))")
        } catch {
            throw .unreadable(path: path, detail: "\(error)")
        }
    }

    func observationTime(of path: String, override: Instant?, pageCounted: Set<String> = []) throws(ImportError)
        -> Instant
    {
        if let override { return override }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if let fromName = SnapshotImporter.time(inFileName: name, pageCounted: pageCounted) { return fromName }
        // A name that holds a time, but not a valid one (`2025-02-29`), is a typo to fix, never the file's
        // modification time in its place (which would record the night as of today, after the later ones).
        if let invalid = SnapshotImporter.invalidTime(inFileName: name) {
            throw .unreadable(
                path: path,
                detail: "its name holds \(invalid), which is not a valid time; rename it or pass --observed-at")
        }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw .unreadable(path: path, detail: "cannot read the file (\(error.localizedDescription))")
        }
        guard let modified = attributes[.modificationDate] as? Date else {
            throw .unreadable(path: path, detail: "the file system gives no modification time; pass --observed-at")
        }
        // To the second, as a time in a name: list pages saved by one script a few milliseconds apart are
        // one night, not one run each (the later of which would find the earlier pages' gateways gone).
        return Instant(seconds: Int64(modified.timeIntervalSince1970.rounded(.down)))
    }

    /// A timestamp embedded in a file name, read as UTC unless it states an offset:
    /// `2025-03-01T02:00:00Z`, `2025-03-01T02-00-00Z`, `2025-03-01T02:00:00.123+02:00`, `20250301T020000Z`
    /// or a bare date `2025-03-01` (midnight UTC). The first match from the left wins.
    ///
    /// Each form is found where it starts the name or follows a non-digit; each form's first occurrence
    /// is a candidate, and the leftmost candidate that is a valid time wins (a date-time beats the bare
    /// date that is its prefix). A scan of the name's characters: Swift's regular expressions took 0.7 ms
    /// a name, 0.25 s of an import of a year of nights before its first night was recorded. As in those
    /// expressions, a character is a grapheme cluster: a digit with a combining mark after it (`1\u{301}`),
    /// or joined to a prepended character, is not a digit; each such character scans as one non-ASCII byte.
    ///
    /// `pageCounted`: times written with dashes (``pageCounted(_:)``) whose `-hhmm` suffix counts pages in this
    /// import, never an offset.
    public static func time(inFileName name: String, pageCounted: Set<String> = []) -> Instant? {
        candidates(inFileName: name, pageCounted: pageCounted).lazy.compactMap { Timestamp.parsedIfValid($0)?.instant }
            .first
    }

    /// The first time a name holds when none it holds is valid (`2025-02-29`, `2025-03-01T25-00-00Z`); nil
    /// when one is valid or the name holds none.
    public static func invalidTime(inFileName name: String) -> String? {
        let found = candidates(inFileName: name, pageCounted: [])
        guard !found.contains(where: { Timestamp.parsedIfValid($0) != nil }), let first = found.first else {
            return nil
        }
        // A bare date is read as its midnight: shown as the name writes it.
        let midnight = "T00:00:00Z"
        return first.hasSuffix(midnight) && !name.contains(first) ? String(first.dropLast(midnight.count)) : first
    }

    /// The times written with dashes (`2025-03-07T02-00-00`) that `names` follow with more than one `-hhmm`
    /// (`-0001` … `-0030`), one of which cannot be an offset: the files of one listing saved page by page,
    /// whose suffixes count pages, even where one reads as an offset (`-0030`, `-0100`). Other times keep the
    /// reading of ``FileNameTime/isOffset(_:_:)`` (`-0500` an offset, `-0001` a page counter).
    public static func pageCounted(_ names: [String]) -> Set<String> {
        var suffixes: [String: Set<String>] = [:]
        for name in names {
            let bytes = asciiBytes(name)
            for start in bytes.indices where start == 0 || !FileNameTime.isDigit(bytes[start - 1]) {
                guard let (time, suffix) = FileNameTime.dashedTimeAndSuffix(bytes, start) else { continue }
                suffixes[time, default: []].insert(suffix)
                break
            }
        }
        // Counted pages include one that cannot be an offset (`-0001`): a time in two offsets (`-0500`, `-0600`)
        // stays two times.
        return Set(
            suffixes.filter { _, found in
                found.count > 1 && found.contains { !FileNameTime.isOffset(Array(("-" + $0).utf8), 0) }
            }.keys)
    }

    /// A name's characters as bytes: ASCII as itself, anything else (a non-ASCII or combined character) as 0xFF.
    private static func asciiBytes(_ name: String) -> [UInt8] {
        name.map { character -> UInt8 in
            let scalars = character.unicodeScalars
            guard scalars.count == 1, let scalar = scalars.first, scalar.isASCII else { return 0xFF }
            return UInt8(scalar.value)
        }
    }

    /// The times `name` holds, as text to parse, best first (see ``time(inFileName:pageCounted:)``).
    private static func candidates(inFileName name: String, pageCounted: Set<String>) -> [String] {
        var bytes = asciiBytes(name)
        // A page counter after a time of `pageCounted` is cut off before the scan.
        for start in bytes.indices where start == 0 || !FileNameTime.isDigit(bytes[start - 1]) {
            guard let (time, _) = FileNameTime.dashedTimeAndSuffix(bytes, start) else { continue }
            if pageCounted.contains(time) { bytes.removeSubrange(start + 19..<start + 24) }
            break
        }
        var candidates: [(position: Int, form: Int, text: String)] = []
        let forms: [([UInt8], Int) -> String?] = [FileNameTime.dateTime, FileNameTime.compact, FileNameTime.date]
        for (form, match) in forms.enumerated() {
            for start in bytes.indices where start == 0 || !FileNameTime.isDigit(bytes[start - 1]) {
                if let text = match(bytes, start) {
                    candidates.append((start, form, text))
                    break
                }
            }
        }
        candidates.sort { ($0.position, $0.form) < ($1.position, $1.form) }
        return candidates.map(\.text)
    }
}

/// The paging a saved list page carries: its `total_count` and `page_info.next_marker`.
struct ResourcePageInfo: Sendable {
    let totalCount: Int?
    let nextMarker: String?

    init(_ json: JSONValue) {
        totalCount = json["total_count"]?.integerValue.map { Int($0) }
        let marker = json["page_info"]?["next_marker"]?.scalarText
        nextMarker = marker?.isEmpty == false ? marker : nil
    }

    /// Why a night's list pages do not make a whole listing: the API counted more gateways than the night's
    /// files hold; or, when no page carries a count, every page points to a next one (the last is not among
    /// them; a full last page names a next one too, so a count decides alone); nil when they do.
    static func incompleteness(of pages: [ResourcePageInfo], listed: Int) -> String? {
        guard !pages.isEmpty else { return nil }
        if let total = pages.compactMap(\.totalCount).max() {
            guard total > listed else { return nil }
            return "the night's files hold \(listed) of the \(total) gateways its list pages count (total_count)"
        }
        if pages.allSatisfy({ $0.nextMarker != nil }) {
            return "every list page of that night points to a next page, and none of its files is the last page"
        }
        return nil
    }
}

/// The three forms of a time in a file name, each matched at a given byte: the text to parse, or nil.
private enum FileNameTime {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Whether `count` digits start at `index`.
    static func digits(_ bytes: [UInt8], _ index: Int, _ count: Int) -> Bool {
        index + count <= bytes.count && bytes[index..<index + count].allSatisfy(isDigit)
    }

    static func text(_ bytes: [UInt8], _ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// `yyyy-mm-dd` at `index`.
    static func day(_ bytes: [UInt8], _ index: Int) -> Bool {
        digits(bytes, index, 4) && index + 10 <= bytes.count && bytes[index + 4] == UInt8(ascii: "-")
            && digits(bytes, index + 5, 2) && bytes[index + 7] == UInt8(ascii: "-") && digits(bytes, index + 8, 2)
    }

    /// `yyyy-mm-ddThh:mm:ss`, `T` or `t`, `:` or `-` between the time's parts, then an optional fraction
    /// of 1 to 9 digits (more are not read) and an optional `Z`, `z`, `±hh:mm` or `±hhmm` (after dashes, a
    /// `-hhmm` that cannot be an offset is a page counter, ``isOffset(_:_:)``).
    static func dateTime(_ bytes: [UInt8], _ start: Int) -> String? {
        let separator = { (index: Int) in
            index < bytes.count && (bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: "-"))
        }
        guard day(bytes, start), start + 19 <= bytes.count,
            bytes[start + 10] == UInt8(ascii: "T") || bytes[start + 10] == UInt8(ascii: "t"),
            digits(bytes, start + 11, 2), separator(start + 13), digits(bytes, start + 14, 2), separator(start + 16),
            digits(bytes, start + 17, 2)
        else { return nil }
        var result =
            text(bytes, start..<start + 10) + "T" + text(bytes, start + 11..<start + 13) + ":"
            + text(bytes, start + 14..<start + 16) + ":" + text(bytes, start + 17..<start + 19)
        var index = start + 19
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), isDigit(bytes[index + 1]) {
            var end = index + 1
            while end < bytes.count, end - index <= 9, isDigit(bytes[end]) { end += 1 }
            result += text(bytes, index..<end)
            index = end
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            result += text(bytes, index..<index + 1)
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            digits(bytes, index + 1, 2)
        {
            if index + 3 < bytes.count, bytes[index + 3] == UInt8(ascii: ":"), digits(bytes, index + 4, 2) {
                result += text(bytes, index..<index + 6)
            } else if digits(bytes, index + 3, 2), bytes[start + 13] == UInt8(ascii: ":") || isOffset(bytes, index) {
                result += text(bytes, index..<index + 5)
            }
        }
        return result
    }

    /// Whether `±hhmm` at `index`, after a time written with dashes, reads as an offset: `+` always; `-` when
    /// it could be one (hours up to 14, minutes 00, 30 or 45). Otherwise (`02-00-00-0001.json`) the four
    /// digits are a page counter.
    static func isOffset(_ bytes: [UInt8], _ index: Int) -> Bool {
        if bytes[index] == UInt8(ascii: "+") { return true }
        let number = { (at: Int) in Int(bytes[at] - UInt8(ascii: "0")) * 10 + Int(bytes[at + 1] - UInt8(ascii: "0")) }
        return number(index + 1) <= 14 && [0, 30, 45].contains(number(index + 3))
    }

    /// A time written with dashes at `start` (`yyyy-mm-ddThh-mm-ss`) directly followed by `-dddd` and then no
    /// digit: the time's text and the four digits.
    static func dashedTimeAndSuffix(_ bytes: [UInt8], _ start: Int) -> (String, String)? {
        guard day(bytes, start), start + 24 <= bytes.count,
            bytes[start + 10] == UInt8(ascii: "T") || bytes[start + 10] == UInt8(ascii: "t"),
            digits(bytes, start + 11, 2), bytes[start + 13] == UInt8(ascii: "-"), digits(bytes, start + 14, 2),
            bytes[start + 16] == UInt8(ascii: "-"), digits(bytes, start + 17, 2),
            bytes[start + 19] == UInt8(ascii: "-"),
            digits(bytes, start + 20, 4), start + 24 == bytes.count || !isDigit(bytes[start + 24])
        else { return nil }
        return (text(bytes, start..<start + 19), text(bytes, start + 20..<start + 24))
    }

    /// `yyyymmddThhmmssZ` (upper-case `T` and `Z` only).
    static func compact(_ bytes: [UInt8], _ start: Int) -> String? {
        guard digits(bytes, start, 8), start + 16 <= bytes.count, bytes[start + 8] == UInt8(ascii: "T"),
            digits(bytes, start + 9, 6), bytes[start + 15] == UInt8(ascii: "Z")
        else { return nil }
        return text(bytes, start..<start + 4) + "-" + text(bytes, start + 4..<start + 6) + "-"
            + text(bytes, start + 6..<start + 8) + "T" + text(bytes, start + 9..<start + 11) + ":"
            + text(bytes, start + 11..<start + 13) + ":" + text(bytes, start + 13..<start + 15) + "Z"
    }

    /// `yyyy-mm-dd`, as midnight UTC.
    static func date(_ bytes: [UInt8], _ start: Int) -> String? {
        day(bytes, start) ? text(bytes, start..<start + 10) + "T00:00:00Z" : nil
    }
}
