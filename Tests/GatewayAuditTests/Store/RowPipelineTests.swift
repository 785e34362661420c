import Foundation
import Synchronization
import Testing

@testable import GatewayAuditCore
@testable import GatewayAuditStore

@Suite("Row pipeline: a report reads on a second thread, bounded, and stops with its consumer")
struct RowPipelineTests {
    struct Failure: Error, Equatable { let at: Int }

    @Test("every row arrives once, in order, across many batches")
    func order() throws {
        var seen: [Int] = []
        try RowPipeline.run(
            produce: { emit in for value in 0..<10_000 { try emit(value) } }, consume: { seen.append($0) })
        #expect(seen == Array(0..<10_000))
    }

    @Test("a consumer that throws stops the reader within the queue's bound, and its own error comes back")
    func consumerStops() throws {
        let produced = Atomic<Int>(0)
        var consumed = 0
        #expect(throws: Failure(at: 1_000)) {
            try RowPipeline.run(
                produce: { emit in
                    for value in 0..<1_000_000 {
                        produced.add(1, ordering: .relaxed)
                        try emit(value)
                    }
                },
                consume: { value in
                    if value == 1_000 { throw Failure(at: value) }
                    consumed += 1
                })
        }
        #expect(consumed == 1_000)
        // The reader has finished when `run` returns: at most the queued batches and the one being filled.
        let bound = 1_000 + (RowPipeline.depth + 2) * RowPipeline.batchSize
        #expect(produced.load(ordering: .relaxed) <= bound)
    }

    @Test("a reader that throws hands over the rows before the failure, then the error")
    func readerFails() throws {
        var seen: [Int] = []
        #expect(throws: Failure(at: 1_300)) {
            try RowPipeline.run(
                produce: { emit in
                    for value in 0..<2_000 {
                        if value == 1_300 { throw Failure(at: value) }
                        try emit(value)
                    }
                }, consume: { seen.append($0) })
        }
        #expect(seen.count == 1_300)
        #expect(seen.last == 1_299)
    }

    @Test(
        "a whole-history report on a file reads in parallel, named resources on the caller's thread; a read nested in its row handler does not wait forever"
    )
    func nestedRead() async throws {
        let f = try StoreFixture()
        #expect(f.database.readsInParallel)
        #expect(try !HistoryDatabase.inMemory().readsInParallel)
        // Whole-history exports read on their own thread; a read of named resources (the HTML report reads
        // each of its resources so) stays on the caller's: a thread each had doubled the page's time.
        #expect(f.store.readsOnOwnThread(ReportFilter()))
        #expect(!f.store.readsOnOwnThread(ReportFilter(gatewayIDs: ["gw-1"])))
        #expect(try !HistoryQueries(HistoryDatabase.inMemory()).readsOnOwnThread(ReportFilter()))
        let ids = (0..<1_500).map { GatewayID("gw-\($0)") }
        for night in 1...2 {
            let observations: [Observation.Result] = try ids.map { id in
                .present(try standardGateway(id: id.rawValue, name: "\(id.rawValue)-\(night)"))
            }
            try await f.run(night: night, observations, ids: ids)
        }
        var changes = 0
        var nested = 0
        try f.store.forEachChangeRow(ReportFilter()) { row in
            changes += 1
            if changes % 500 == 1 {
                try f.store.forEachHistoryRow(ReportFilter(gatewayIDs: [row.gatewayID])) { _ in nested += 1 }
            }
        }
        // 1,500 first-seen rows, then 1,500 renames.
        #expect(changes == 3_000)
        #expect(nested == 6 * 2)
    }
}
