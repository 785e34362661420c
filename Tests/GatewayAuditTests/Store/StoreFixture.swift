import TestSupport
import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// A history database (in memory, or a temp file for tests that need one) plus helpers to play
/// nightly runs into it.
final class StoreFixture: Sendable {
    let directory: URL
    let path: String
    let database: HistoryDatabase
    /// The read side, as reports see it.
    let store: HistoryQueries
    let writer: HistoryWriter
    let recorder: ObservationRecorder

    /// A fresh history: a temp file (or memory) for SQLite, a new database on the test server for PostgreSQL.
    init(inMemory: Bool = false, backend: StoreBackend = .sqlite, postgresURL: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            path = directory.appendingPathComponent("history.sqlite").path
            database = inMemory ? try HistoryDatabase.inMemory() : try HistoryDatabase.open(path: path)
        case .postgres:
            path = try postgresURL ?? { throw PostgresTestServer.Unavailable() }()
            database = try HistoryDatabase.open(path: path)
        }
        store = HistoryQueries(database)
        writer = HistoryWriter(database)
        recorder = ObservationRecorder(writer: writer)
    }

    /// A fresh history of `backend`, made off the cooperative pool (creating a PostgreSQL database and its
    /// schema waits on the server).
    static func make(backend: StoreBackend) async throws -> StoreFixture {
        let url = backend == .postgres ? try await PostgresTestServer.freshDatabase() : nil
        return try await offPool { try StoreFixture(backend: backend, postgresURL: url) }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// 02:00 UTC on night `n` (night 1 = 2025-03-01).
    static func night(_ n: Int) -> Instant {
        Instant(seconds: 1_740_794_400 + Int64(n - 1) * 86_400)
    }

    /// One complete run on night `n` recording `results` (gateway id → result).
    @discardableResult
    func run(night n: Int, _ observations: [Observation.Result], ids: [GatewayID]) async throws -> [ObservationOutcome]
    {
        let run = try await writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all), at: Self.night(n), lockWait: .seconds(5)
        )
        let at = Self.night(n).adding(seconds: 60)
        let outcomes = try await recorder.record(
            zip(ids, observations).map { Observation(gatewayID: $0, observedAt: at, result: $1) }, in: run)
        try await writer.finishRun(
            run, status: outcomes.contains(.failed) ? .partial : .complete, at: at.adding(seconds: 1))
        return outcomes
    }

    @discardableResult
    func run(night n: Int, _ gateways: CustomerGateway...) async throws -> [ObservationOutcome] {
        try await run(night: n, gateways.map { .present($0) }, ids: gateways.map(\.id))
    }

    func history() throws -> [HistoryRow] {
        var rows: [HistoryRow] = []
        try store.forEachHistoryRow { rows.append($0) }
        return rows
    }

    func changes(_ filter: ReportFilter = ReportFilter()) throws -> [ChangeRow] {
        var rows: [ChangeRow] = []
        try store.forEachChangeRow(filter) { rows.append($0) }
        return rows
    }

    /// `verify` over this fixture's database.
    func verify() throws -> HistoryVerification {
        try HistoryVerifier(database).verify()
    }

    /// `verify` over the file, opened anew read-only (as the command does after an edit with sqlite3).
    func verifyFile() throws -> HistoryVerification {
        try HistoryVerifier(try HistoryDatabase.open(path: path, readOnly: true)).verify()
    }

    /// `verify` finds nothing (the first problems in the message when it does).
    func expectVerified(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let problems = try verify().problems
        #expect(problems.isEmpty, "\(problems.prefix(3))", sourceLocation: sourceLocation)
    }

    func expectIntegrity(sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try database.integrityCheck() == ["ok"], sourceLocation: sourceLocation)
    }
}

/// A gateway built from JSON members; `id` defaults to `gw-1`.
func gateway(_ members: [String: JSONValue]) throws -> CustomerGateway {
    var all = members
    if all["id"] == nil { all["id"] = .string("gw-1") }
    return try CustomerGateway(json: .object(all))
}

/// A typical current-generation gateway.
func standardGateway(
    id: String = "gw-1", name: String = "branch-1", created: String = "2025-02-01T10:00:00.000Z",
    updated: String = "2025-02-01T10:00:00.000Z", extra: [String: JSONValue] = [:]
) throws -> CustomerGateway {
    var members: [String: JSONValue] = [
        "id": .string(id), "name": .string(name), "id_type": "ip", "id_value": "203.0.113.10",
        "bgp_asn": .integer(65000),
        "created_at": .string(created), "updated_at": .string(updated),
        "tags": .array([.object(["key": "env", "value": "prod"])]),
    ]
    for (key, value) in extra { members[key] = value }
    return try gateway(members)
}

extension StoreFixture {
    /// One complete run on night `n` observing `resources` (of any kind).
    func runResources(night n: Int, _ resources: [Resource]) async throws {
        let run = try await writer.beginRun(
            RunInfo(endpoint: "http://127.0.0.1", projectID: "p", scope: .all), at: Self.night(n), lockWait: .seconds(5)
        )
        let at = Self.night(n).adding(seconds: 60)
        _ = try await recorder.record(resources.map { .present($0, at: at) }, in: run)
        try await writer.finishRun(run, status: .complete, at: at.adding(seconds: 1))
    }

    /// Edits the stored history behind the tool's back: with sqlite3 or psql, as a person would.
    func edit(_ sql: String) throws {
        if database.isPostgres {
            try PostgresTestServer.psql(path, sql)
            return
        }
        try SQLiteShell.run(path, sql)
    }
}
