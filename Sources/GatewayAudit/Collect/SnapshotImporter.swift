import Foundation
import Logging

/// Backfills history from saved API responses (a nightly `curl`, a git-scraping repository): each file
/// is a single-gateway response, a list page, a JSON array of gateways or one bare gateway object.
/// Files with the same observation time form one run; runs are recorded oldest first.
public struct SnapshotImporter: Sendable {
    let store: SQLiteStore
    let projectID: String
    let listingsComplete: Bool
    let logger: Logger

    /// Creates an importer. With `listingsComplete`, a gateway known as present but absent from a
    /// night's files is recorded as gone that night.
    public init(
        store: SQLiteStore, projectID: String = "", listingsComplete: Bool = false,
        logger: Logger = Logger(label: "gateway-audit.import")
    ) {
        self.store = store
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
    public func importFiles(_ paths: [String], observedAt: Instant? = nil) throws -> Summary {
        var groups: [Instant: [String]] = [:]
        for path in paths {
            groups[try observationTime(of: path, override: observedAt), default: []].append(path)
        }
        let times = groups.keys.sorted()
        if let first = times.first, let latest = try store.runs(limit: 1).first, latest.startedAt >= first {
            throw ImportError.olderThanHistory(
                path: groups[first]?.first ?? "", observedAt: first.iso8601(), latest: latest.startedAt.iso8601())
        }
        var counts = RunCounts()
        for time in times {
            let files = (groups[time] ?? []).sorted()
            var observations: [Observation] = []
            var seen = Set<GatewayID>()
            for path in files {
                for gateway in try gateways(in: path) where seen.insert(gateway.id).inserted {
                    observations.append(.present(gateway, at: time))
                }
            }
            let run = try store.beginRun(RunInfo(endpoint: "import", projectID: projectID, scope: "import"), at: time, lockWait: 10)
            if listingsComplete {
                for summary in try store.gateways() where summary.state == .present && !seen.contains(summary.gatewayID) {
                    observations.append(Observation(gatewayID: summary.gatewayID, observedAt: time, result: .gone))
                }
            }
            for start in stride(from: 0, to: observations.count, by: 1_000) {
                for outcome in try store.record(Array(observations[start..<min(start + 1_000, observations.count)]), in: run) {
                    counts.add(outcome)
                }
            }
            try store.finishRun(run, status: .complete, at: time)
            logger.info("imported \(files.count) file(s) observed at \(time.iso8601()): \(observations.count) gateways")
        }
        return Summary(files: paths.count, runs: times.count, counts: counts)
    }

    /// Every gateway in one saved response.
    /// - Throws: ``ImportError/unreadable(path:detail:)``.
    public func gateways(in path: String) throws(ImportError) -> [CustomerGateway] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, detail: "cannot read the file")
        }
        do {
            let json = try JSONValue(data: data)
            if let list = json["customer_gateways"]?.arrayValue { return try list.map { try CustomerGateway(json: $0) } }
            if let single = json["customer_gateway"] { return [try CustomerGateway(json: single)] }
            if let array = json.arrayValue { return try array.map { try CustomerGateway(json: $0) } }
            return [try CustomerGateway(json: json)]
        } catch {
            throw .unreadable(path: path, detail: "\(error)")
        }
    }

    func observationTime(of path: String, override: Instant?) throws(ImportError) -> Instant {
        if let override { return override }
        if let fromName = SnapshotImporter.time(inFileName: URL(fileURLWithPath: path).lastPathComponent) { return fromName }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let modified = attributes[.modificationDate] as? Date
        else { throw .unreadable(path: path, detail: "cannot read the file") }
        return Instant(modified)
    }

    /// A timestamp embedded in a file name, read as UTC unless it states an offset.
    public static func time(inFileName name: String) -> Instant? {
        let bytes = Array(name.utf8)
        func digits(_ start: Int, _ count: Int) -> Bool {
            start >= 0 && start + count <= bytes.count && bytes[start..<(start + count)].allSatisfy { $0 >= 48 && $0 <= 57 }
        }
        for start in bytes.indices where digits(start, 4) && (start == 0 || !(bytes[start - 1] >= 48 && bytes[start - 1] <= 57)) {
            let rest = String(decoding: bytes[start...], as: UTF8.self)
            // 2025-03-01T02:00:00Z / 2025-03-01T02-00-00Z / 2025-03-01T02:00:00.123+02:00
            if digits(start + 5, 2), digits(start + 8, 2), bytes.count > start + 10 {
                let date = String(rest.prefix(10))
                if bytes.count >= start + 19, bytes[start + 10] == UInt8(ascii: "T") || bytes[start + 10] == UInt8(ascii: "t") {
                    var time = String(rest.dropFirst(11).prefix(8))
                    time = time.replacingOccurrences(of: "-", with: ":")
                    let tail = rest.dropFirst(19)
                    var candidates: [String] = []
                    for length in stride(from: min(tail.count, 16), through: 0, by: -1) {
                        candidates.append(date + "T" + time + tail.prefix(length))
                    }
                    for candidate in candidates {
                        if let timestamp = try? Timestamp(parsing: candidate) { return timestamp.instant }
                    }
                }
                if let timestamp = try? Timestamp(parsing: date + "T00:00:00Z") { return timestamp.instant }
            }
            // 20250301T020000Z
            if digits(start, 8), bytes.count >= start + 15, bytes[start + 8] == UInt8(ascii: "T"), digits(start + 9, 6) {
                let d = String(decoding: bytes[start..<(start + 8)], as: UTF8.self)
                let t = String(decoding: bytes[(start + 9)..<(start + 15)], as: UTF8.self)
                let text = "\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))T\(t.prefix(2)):\(t.dropFirst(2).prefix(2)):\(t.suffix(2))Z"
                if let timestamp = try? Timestamp(parsing: text) { return timestamp.instant }
            }
        }
        return nil
    }
}

/// Why an import stopped. Runs recorded before the failing file stay recorded.
public enum ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file cannot be read or holds no customer gateway.
    case unreadable(path: String, detail: String)
    /// The file's observation time is not after the database's latest run: history is appended in order.
    case olderThanHistory(path: String, observedAt: String, latest: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let detail):
            return "\(path): \(detail); nothing from this file or later ones was imported, fix or remove it and import the rest again"
        case .olderThanHistory(let path, let observedAt, let latest):
            return "\(path) was observed at \(observedAt), not after the database's latest run (\(latest)); import into a new --db, or only newer files"
        }
    }
}
