import Foundation
import GatewayAudit
import Logging
import VPNSimulator

/// The newcomer's demo: the simulator in-process on 127.0.0.1, the real collector once per simulated
/// night over HTTP, then every report in two zones. Deterministic for a given seed.
public struct Demo: Sendable {
    /// What to run.
    public struct Options: Sendable {
        /// Simulated nights after night 0.
        public var nights: Int
        /// Where the reports go.
        public var outputDirectory: String
        /// The history database (replaced only if it holds nothing but demo or test runs).
        public var databasePath: String
        /// The scenario seed (nil: the scenario's own).
        public var seed: UInt64?
        /// The second zone the reports are rendered in (besides UTC).
        public var zone: Zone
        /// Collect a simulated estate instead: two accounts, three regions, five projects.
        public var estate = false

        /// Creates options (defaults: 30 nights into `reports/`, database `reports/demo.sqlite`, Europe/Berlin).
        public init(
            nights: Int = 30, outputDirectory: String = "reports", databasePath: String? = nil, seed: UInt64? = nil,
            zone: Zone? = nil
        ) {
            self.nights = nights
            self.outputDirectory = outputDirectory
            self.databasePath = databasePath ?? (outputDirectory as NSString).appendingPathComponent("demo.sqlite")
            self.seed = seed
            self.zone = zone ?? (try? Zone(identifier: "Europe/Berlin")) ?? .utc
        }
    }

    /// What the demo produced.
    public struct Summary: Sendable {
        /// History totals.
        public let statistics: HistoryStatistics
        /// Every report written, in order.
        public let files: [String]
        /// The database.
        public let databasePath: String
        /// A gateway with changes, for the suggested `when-changed` command.
        public let exampleGatewayID: GatewayID?
        /// Collection runs that did not complete (none expected).
        public let incompleteRuns: Int
        /// Resources by kind: how many are known, and how many of them are gone now.
        public let resources: [ResourceKind: (known: Int, gone: Int)]
        /// Connections whose configuration changed at least once.
        public let tunnelsChanged: Int
        /// Connections that were DOWN at least once.
        public let tunnelsDown: Int
    }

    /// Why the demo could not run.
    let options: Options
    let logger: Logger

    /// Creates a demo.
    public init(options: Options = Options(), logger: Logger = Logger(label: "gateway-audit.demo")) {
        self.options = options
        self.logger = logger
    }

    /// Runs it.
    /// - Throws: ``Failure`` (also for the in-process simulator), ``StoreError``, ``ClientError`` or ``ReportError``.
    public func run() async throws -> Summary {
        if options.estate { return try await runEstate() }
        let scenario = Scenario.standard
        guard (1...scenario.nights).contains(options.nights) else {
            throw Failure.nights(requested: options.nights, available: scenario.nights)
        }
        try FileManager.default.createDirectory(atPath: options.outputDirectory, withIntermediateDirectories: true)
        try replaceDemoDatabase()
        let database = try HistoryDatabase.open(path: options.databasePath)
        let cloud: SimulatedCloud
        let running: RunningSimulator
        do {
            cloud = try SimulatedCloud(scenario: scenario, credentials: .standard, seed: options.seed)
            running = try await SimulatorServer(cloud: cloud, adminRoutes: false).start()
        } catch {
            throw Failure.simulator("\(error)")
        }
        let transport = try HTTP1Transport()
        var incomplete = 0
        do {
            guard let baseURL = running.baseURL else { throw Failure.simulator("the simulator has no base URL") }
            let signer = SimulatorCredentials.standard.keyPairs[0].signer
            for night in 0...options.nights {
                try await cloud.advance(to: night)
                let client = try VPNClient(
                    endpoint: baseURL, projectID: cloud.projectID, credentials: .accessKey(signer),
                    transport: transport,
                    logger: logger, time: FixedTime(cloud.runTime(ofNight: night)))
                let summary = try await Collector(
                    client: client, database: database, options: CollectorOptions(lockWait: .seconds(5)), logger: logger
                ).run()
                if summary.status != .complete { incomplete += 1 }
                logger.info("night \(night): \(summary.line)")
            }
        } catch {
            await shutDown(transport)
            await running.stop()
            throw error
        }
        await shutDown(transport)
        await running.stop()
        try database.checkpoint()
        let queries = HistoryQueries(database)
        let files = try writeReports(queries, generatedAt: cloud.runTime(ofNight: options.nights))
        return try summary(
            of: queries, files: files, incompleteRuns: incomplete, fallbackExample: Scenario.standardGatewayID(1))
    }

    /// What the demo found: totals, resources by kind, tunnels that changed or went down, and a customer
    /// gateway with changes that tunnels use (for the suggested `when-changed`).
    func summary(of queries: HistoryQueries, files: [String], incompleteRuns: Int, fallbackExample: GatewayID?)
        throws -> Summary
    {
        let known = try queries.gateways()
        var resources: [ResourceKind: (known: Int, gone: Int)] = [:]
        for summary in known {
            let counts = resources[summary.kind] ?? (0, 0)
            resources[summary.kind] = (counts.known + 1, counts.gone + (summary.state == .gone ? 1 : 0))
        }
        var changedTunnels = Set<GatewayID>()
        try queries.forEachChangeRow(ReportFilter(kinds: [.vpnConnection])) { row in
            if row.change.isFieldChange { changedTunnels.insert(row.gatewayID) }
        }
        var downTunnels = Set<GatewayID>()
        try queries.forEachStatusRow(ReportFilter(kinds: [.vpnConnection])) { row in
            if row.status == "DOWN" { downTunnels.insert(row.gatewayID) }
        }
        // The suggested `when-changed` names a customer gateway with changes that tunnels use.
        let example =
            known.first { $0.kind == .customerGateway && $0.connections > 0 && $0.snapshotCount > 1 }?.gatewayID
            ?? fallbackExample
        return Summary(
            statistics: try queries.statistics(), files: files, databasePath: queries.location,
            exampleGatewayID: example, incompleteRuns: incompleteRuns, resources: resources,
            tunnelsChanged: changedTunnels.count, tunnelsDown: downTunnels.count)
    }

    /// Closes the HTTP client; a failure is logged once, as the demo's outcome is already decided.
    func shutDown(_ transport: HTTP1Transport) async {
        do {
            try await transport.shutdown()
        } catch {
            logger.warning("\(error)")
        }
    }

    /// Every view in every format (CSV, HTML, NDJSON; the history once per kind), in UTC and the second zone.
    func writeReports(_ store: any HistoryReading, generatedAt: Instant) throws -> [String] {
        var files: [String] = []
        var selections: [(ReportView, [ResourceKind])] = ReportView.allCases.map { ($0, []) }
        selections.insert(contentsOf: [(.history, [.vpnGateway]), (.history, [.vpnConnection])], at: 1)
        for zone in [Zone.utc, options.zone] {
            for (view, kinds) in selections {
                for format in ReportFormat.allCases {
                    let report = ReportOptions(
                        view: view, format: format, zone: zone, filter: ReportFilter(kinds: kinds),
                        generatedAt: generatedAt)
                    let path = (options.outputDirectory as NSString).appendingPathComponent(report.defaultFileName)
                    try ReportExport.write(store: store, options: report, to: path)
                    files.append(path)
                }
            }
        }
        return files
    }

    /// The database at `path` read-only, or nil when it holds no history yet.
    private static func openIfPresent(_ path: String) throws(StoreError) -> HistoryDatabase? {
        do {
            return try HistoryDatabase.open(path: path, readOnly: true)
        } catch {
            if case .missing = error { return nil }
            throw error
        }
    }

    /// Removes an earlier demo database; refuses to touch one with real collections. A PostgreSQL
    /// database is never emptied: the demo writes only into one that holds no runs yet.
    func replaceDemoDatabase() throws {
        let path = options.databasePath
        if PostgresLocation.isPostgres(path) {
            guard let existing = try Self.openIfPresent(path) else { return }
            if try !HistoryQueries(existing).runs(limit: 1).isEmpty { throw Failure.notEmpty(existing.path) }
            return
        }
        guard FileManager.default.fileExists(atPath: path) else { return }
        let existing = HistoryQueries(try HistoryDatabase.open(path: path, readOnly: true))
        guard try existing.onlyLoopbackRuns() else { throw Failure.wouldOverwrite(path) }
        for suffix in ["", "-wal", "-shm", ".lock"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
        // The run locks of its scopes: `<db>.<16 hex digits>.lock`.
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        where file.hasPrefix(name + ".") && file.hasSuffix(".lock") && file.count == name.count + 22 {
            try FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(file))
        }
    }
}
