import Foundation
import GatewayAudit
import Synchronization
import Testing
import VPNSimulator

@Suite("cancelling a collection run", .serialized)
struct CancellationTests {
    /// Starts a run in a task that `transport` can cancel once the task exists.
    static func cancellableRun(
        _ f: CollectFixture, options: CollectorOptions, cancelAfterResponse: Int
    ) async throws -> RunSummary {
        let runTask = Mutex<Task<RunSummary, any Error>?>(nil)
        let sent = Mutex(0)
        let transport = ClosureTransport { request throws(TransportError) in
            let response = try await CollectFixture.transport.send(request, timeout: .seconds(5))
            let n = sent.withLock { count in
                count += 1
                return count
            }
            if n == cancelAfterResponse { runTask.withLock { $0?.cancel() } }
            return response
        }
        let collector = Collector(
            client: try f.client(transport: transport), database: f.storeFixture.database, options: options)
        let (gate, open) = AsyncStream<Void>.makeStream()
        let task = Task {
            for await _ in gate { break }
            return try await collector.run()
        }
        runTask.withLock { $0 = task }
        open.yield()
        open.finish()
        return try await task.value
    }

    @Test("a run cancelled mid-flight stops as cancelled: no gateway is recorded as failed, the run says why")
    func cancelledInFlight() async throws {
        try await CollectFixture.with { f in
            let ids = await f.cloud.liveGateways.map(\.id)
            let summary = try await Self.cancellableRun(
                f, options: CollectorOptions(ids: ids, concurrency: 2), cancelAfterResponse: 2)
            #expect(summary.status == .failed)
            #expect(summary.failure == .cancelled)
            #expect(
                summary.failure?.description.contains("cancelled") == true, "\(String(describing: summary.failure))")
            #expect(summary.counts.failed == 0 && summary.failures.isEmpty)
            #expect(try f.store.runs().first?.message?.contains("cancelled") == true)
            #expect(try f.store.runs().first?.message?.contains("connection failed") == false)
        }
    }

    @Test("a run cancelled while the rate limiter waits stops promptly as cancelled, not as a connection failure")
    func cancelledWhileRateLimited() async throws {
        try await CollectFixture.with { f in
            let ids = await f.cloud.liveGateways.map(\.id)
            let started = ContinuousClock.now
            let summary = try await Self.cancellableRun(
                f, options: CollectorOptions(ids: ids, concurrency: 2, requestsPerSecond: 0.02), cancelAfterResponse: 1)
            // The second request would wait 50 s: ending well inside half of that is "promptly", even on a
            // machine whose two cores the rest of the suite keeps busy.
            #expect(started.duration(to: .now) < .seconds(25))
            #expect(summary.status == .failed)
            #expect(
                summary.failure?.description.contains("cancelled") == true, "\(String(describing: summary.failure))")
            #expect(summary.failure == .cancelled)
            #expect(summary.counts.new == 1 && summary.counts.failed == 0)
        }
    }
}
