import Foundation

/// Runs one async operation to completion on the calling thread, which runs the operation's jobs itself
/// until it is done.
///
/// The synchronous read models stream PostgreSQL rows through postgres-nio's back-pressured row
/// sequence, which is async. Waiting for a task of the shared cooperative pool from a thread that may
/// itself belong to that pool could wait forever on a one-core machine; here the waiting thread is the
/// one that runs the task (as its preferred executor), so nothing else has to be free. The operation may
/// block, and may nest another such operation: it only ever holds its own thread.
final class BlockingTaskExecutor: TaskExecutor, @unchecked Sendable {
    // `jobs` and `done` are guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var done = false

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs `operation` on this thread and returns what it returns.
    /// - Throws: what `operation` throws.
    static func run<T>(_ operation: () async throws -> T) throws -> T {
        try withoutActuallyEscaping(operation) { operation in
            // Sound because `run` returns only after the task has finished with `operation`.
            nonisolated(unsafe) let operation = operation
            nonisolated(unsafe) var outcome: Result<T, any Error>?
            let executor = BlockingTaskExecutor()
            Task(executorPreference: executor) {
                do {
                    outcome = .success(try await operation())
                } catch {
                    outcome = .failure(error)
                }
                executor.finish()
            }
            executor.runJobs()
            guard let outcome else { preconditionFailure("the task finished without an outcome") }
            return try outcome.get()
        }
    }

    private func finish() {
        condition.lock()
        done = true
        condition.unlock()
    }

    /// Runs queued jobs until the task has finished.
    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty && !done { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
