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
        let writer = HistoryWriter(database)
        let recorder = ObservationRecorder(writer: writer)
        var groups: [Instant: [String]] = [:]
        for path in paths {
            groups[try observationTime(of: path, override: observedAt), default: []].append(path)
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
            let (parsed, seen) = try await parsing.value
            var observations = parsed
            next = index + 1 < times.count ? parse(nightFiles[index + 1], at: times[index + 1]) : nil
            let run = try await writer.beginRun(
                RunInfo(endpoint: "import", projectID: projectID, scope: .import), at: time, lockWait: .seconds(10))
            if listingsComplete {
                for summary in try await queries.knownGateways(in: run.scope)
                where summary.state == .present && !seen.contains(summary.gatewayID) {
                    observations.append(Observation(gatewayID: summary.gatewayID, observedAt: time, result: .gone))
                }
            }
            for start in stride(from: 0, to: observations.count, by: 1_000) {
                let batch = Array(observations[start..<min(start + 1_000, observations.count)])
                for outcome in try await recorder.record(batch, in: run) {
                    counts.add(outcome)
                }
            }
            try await writer.finishRun(run, status: .complete, at: time)
            logger.info(
                "imported \(nightFiles[index].count) file(s) observed at \(time.iso8601()): \(observations.count) gateways"
            )
        }
        return Summary(files: paths.count, runs: times.count, counts: counts)
    }

    /// Starts parsing one night's files, in the order given, into observations, each gateway once.
    private func parse(_ paths: [String], at time: Instant) -> Task<([Observation], Set<GatewayID>), any Error> {
        Task.detached {
            var observations: [Observation] = []
            var seen = Set<GatewayID>()
            for path in paths {
                for gateway in try gateways(in: path) where seen.insert(gateway.id).inserted {
                    observations.append(.present(gateway, at: time))
                }
            }
            return (observations, seen)
        }
    }

    /// Every gateway in one saved response.
    /// - Throws: ``ImportError/unreadable(path:detail:)``.
    public func gateways(in path: String) throws(ImportError) -> [CustomerGateway] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, detail: "cannot read the file")
        }
        do {
            let json = try JSONValue(data: data)
            if let list = json["customer_gateways"]?.arrayValue {
                return try list.map { try CustomerGateway(json: $0) }
            }
            if let single = json["customer_gateway"] { return [try CustomerGateway(json: single)] }
            if let array = json.arrayValue { return try array.map { try CustomerGateway(json: $0) } }
            return [try CustomerGateway(json: json)]
        } catch {
            throw .unreadable(path: path, detail: "\(error)")
        }
    }

    func observationTime(of path: String, override: Instant?) throws(ImportError) -> Instant {
        if let override { return override }
        if let fromName = SnapshotImporter.time(inFileName: URL(fileURLWithPath: path).lastPathComponent) {
            return fromName
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
        return Instant(modified)
    }

    /// A timestamp embedded in a file name, read as UTC unless it states an offset:
    /// `2025-03-01T02:00:00Z`, `2025-03-01T02-00-00Z`, `2025-03-01T02:00:00.123+02:00`, `20250301T020000Z`
    /// or a bare date `2025-03-01` (midnight UTC). The first match from the left wins.
    public static func time(inFileName name: String) -> Instant? {
        let dateTime =
            /(?:^|[^0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2})[:\-]([0-9]{2})[:\-]([0-9]{2})(\.[0-9]{1,9})?([Zz]|[+\-][0-9]{2}:?[0-9]{2})?/
        let compact = /(?:^|[^0-9])([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z/
        let date = /(?:^|[^0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})/
        var candidates: [(position: String.Index, text: String)] = []
        if let m = name.firstMatch(of: dateTime) {
            let (_, day, h, mi, s, fraction, offset) = m.output
            candidates.append((m.range.lowerBound, "\(day)T\(h):\(mi):\(s)\(fraction ?? "")\(offset ?? "")"))
        }
        if let m = name.firstMatch(of: compact) {
            let (_, y, mo, d, h, mi, s) = m.output
            candidates.append((m.range.lowerBound, "\(y)-\(mo)-\(d)T\(h):\(mi):\(s)Z"))
        }
        if let m = name.firstMatch(of: date) {
            candidates.append((m.range.lowerBound, "\(m.output.1)T00:00:00Z"))
        }
        // A date-time beats a bare date found at the same place (the date is its prefix).
        let ordered = candidates.enumerated().sorted {
            ($0.element.position, $0.offset) < ($1.element.position, $1.offset)
        }
        return ordered.lazy.compactMap { Timestamp.parsedIfValid($0.element.text)?.instant }.first
    }
}
