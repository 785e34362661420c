import Foundation

/// Reads rows on a thread of its own while the caller's thread consumes them: a big export then uses
/// both cores, the database's work (SQLite's joins and sort, or waiting on PostgreSQL and decoding its
/// rows) beside the formatting and writing of the report.
///
/// At most ``depth`` batches of ``batchSize`` rows wait between the two, so memory stays flat however
/// many rows there are. When the consumer throws (a full disk), the reader stops at its next batch and
/// is waited for before the error is rethrown: no read outlives the call. When the reader throws (a
/// damaged row), the consumer gets that error after the rows read before it.
enum RowPipeline {
    static let batchSize = 512
    static let depth = 4

    /// Runs `produce` on a new thread, handing each row it emits to `consume` on the calling thread.
    /// - Throws: what `produce` or `consume` throws.
    static func run<Row: Sendable>(
        produce: @escaping @Sendable (_ emit: (Row) throws -> Void) throws -> Void, consume: (Row) throws -> Void
    ) throws {
        let channel = BatchChannel<Row>()
        let reader = Thread {
            var batch: [Row] = []
            batch.reserveCapacity(batchSize)
            do {
                try produce { row in
                    batch.append(row)
                    if batch.count == batchSize {
                        try channel.send(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try channel.send(batch) }
                channel.finish(throwing: nil)
            } catch {
                // The rows read before the failure still reach the consumer, as in a direct read.
                if !(error is BatchChannel<Row>.Stopped) && !batch.isEmpty { try? channel.send(batch) }
                channel.finish(throwing: error)
            }
        }
        // SQLite and NIO run on this thread; the default secondary-thread stack is small.
        reader.stackSize = 8 << 20
        reader.start()
        defer { channel.stopAndWait() }
        while let batch = try channel.receive() {
            for row in batch { try consume(row) }
        }
    }
}

/// The bounded hand-over between the reader and the consumer of a ``RowPipeline``.
private final class BatchChannel<Row: Sendable>: @unchecked Sendable {
    /// Thrown inside the reader when the consumer has stopped; never reaches the caller.
    struct Stopped: Error {}

    // Every stored property is guarded by `condition`.
    private let condition = NSCondition()
    private var batches: [[Row]] = []
    private var finished = false
    private var failure: (any Error)?
    private var stopped = false

    /// Queues `batch`, waiting while ``RowPipeline/depth`` batches are queued.
    /// - Throws: `Stopped` once the consumer has stopped.
    func send(_ batch: [Row]) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= RowPipeline.depth && !stopped { condition.wait() }
        if stopped { throw Stopped() }
        batches.append(batch)
        condition.broadcast()
    }

    /// The reader is done: after `error` if it failed.
    func finish(throwing error: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        failure = error
        condition.broadcast()
    }

    /// The next batch, or nil after the last one.
    /// - Throws: the reader's error, once the batches before it have been taken.
    func receive() throws -> [Row]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if !batches.isEmpty {
            condition.broadcast()
            return batches.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Tells the reader to stop and waits until it has finished.
    func stopAndWait() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
    }
}
