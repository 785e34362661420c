import Foundation
import Testing
import VPNSimulator

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("runs observed in a daylight-saving fold or gap", .serialized)
struct DaylightSavingTests {
    /// 02:30 on 2025-10-26 happens twice in Europe/Berlin (CEST, then CET); 02:30 on 2025-03-30 never does.
    static let gap = Instant(seconds: 1_743_298_200)  // 2025-03-30T01:30:00Z = 03:30 CEST
    static let foldFirst = Instant(seconds: 1_761_438_600)  // 2025-10-26T00:30:00Z = 02:30 CEST
    static let foldSecond = Instant(seconds: 1_761_442_200)  // 2025-10-26T01:30:00Z = 02:30 CET

    @Test("each run is recorded once, at its UTC instant, and renders unambiguously with the zone's offset")
    func foldAndGap() async throws {
        var credentials = SimulatorCredentials.standard
        credentials.sdkDateClock = .off
        try await CollectFixture.with(credentials: credentials) { f in
            let url = try #require(f.running.baseURL)
            var summaries: [RunSummary] = []
            for instant in [Self.gap, Self.foldFirst, Self.foldSecond] {
                let client = try VPNClient(
                    endpoint: url, projectID: f.cloud.projectID, credentials: .accessKey(CollectFixture.keyPair.signer),
                    transport: CollectFixture.transport, logger: f.logs.logger("client"), time: FixedTime(instant))
                summaries.append(
                    try await Collector(client: client, database: f.storeFixture.database, logger: f.logs.logger())
                        .run())
            }
            #expect(summaries.map(\.status) == [.complete, .complete, .complete])
            #expect(summaries.map(\.counts.new) == [23, 0, 0])
            #expect(summaries.map(\.counts.unchanged) == [0, 23, 23], "the fold's second 02:30 is not a new night")

            let runs = try f.store.runs().sorted { $0.id < $1.id }
            #expect(
                runs.map(\.startedAt) == [Self.gap, Self.foldFirst, Self.foldSecond],
                "stored as UTC instants, once each")
            #expect(
                runs.map { $0.startedAt.iso8601(in: .utc) } == [
                    "2025-03-30T01:30:00Z", "2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z",
                ])
            let berlin = try Zone(identifier: "Europe/Berlin")
            #expect(
                runs.map { $0.startedAt.iso8601(in: berlin) } == [
                    "2025-03-30T03:30:00+02:00", "2025-10-26T02:30:00+02:00", "2025-10-26T02:30:00+01:00",
                ])

            let gateways = try f.store.gateways().filter { $0.state == .present && $0.kind == .customerGateway }
            #expect(gateways.count == 13)
            for gateway in gateways {
                #expect(gateway.snapshotCount == 1, "one snapshot, its last-seen moved: \(gateway.gatewayID)")
                #expect(gateway.firstSeen == Self.gap)
                #expect(gateway.lastSeen == Self.foldSecond)
            }
            #expect(try f.storeFixture.verify().problems.isEmpty)
        }
    }

    @Test("the fold of Pacific/Chatham (+13:45 → +12:45) and of America/St_Johns (-02:30 → -03:30)")
    func oddOffsets() async throws {
        let chatham = try Zone(identifier: "Pacific/Chatham")
        // 03:15 local on 2025-04-06 happens twice in Chatham: 13:30Z (CHADT) and 14:30Z (CHAST).
        #expect(Instant(seconds: 1_743_859_800).iso8601(in: chatham) == "2025-04-06T03:15:00+13:45")
        #expect(Instant(seconds: 1_743_863_400).iso8601(in: chatham) == "2025-04-06T03:15:00+12:45")
        let stJohns = try Zone(identifier: "America/St_Johns")
        // 01:30 local on 2025-11-02 happens twice in Newfoundland: 04:00Z (NDT) and 05:00Z (NST).
        #expect(Instant(seconds: 1_762_056_000).iso8601(in: stJohns) == "2025-11-02T01:30:00-02:30")
        #expect(Instant(seconds: 1_762_059_600).iso8601(in: stJohns) == "2025-11-02T01:30:00-03:30")
        for text in ["2025-04-06T03:15:00+13:45", "2025-04-06T03:15:00+12:45", "2025-11-02T01:30:00-02:30"] {
            let parsed = try Timestamp(parsing: text)
            #expect(try Timestamp(parsing: parsed.utcText).instant == parsed.instant)
        }
    }
}
