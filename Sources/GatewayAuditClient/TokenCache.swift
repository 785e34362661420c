import GatewayAuditCore
/// Holds the IAM token of a password identity and renews it *single-flight*: however many requests
/// find the token missing, stale or rejected at the same moment, one IAM request is made and all of
/// them wait for its answer.
///
/// The renewal runs in its own task, so a caller suspended on it cannot be interleaved into a second
/// renewal (actor reentrancy). When every caller waiting for it is cancelled, the renewal is cancelled
/// too (a stopping run does not keep asking IAM), and the callers get ``ClientError/cancelled``.
actor TokenCache {
    typealias Fetch = @Sendable () async -> Result<IAMToken, ClientError>

    private struct Renewal {
        let id: Int
        let task: Task<Result<IAMToken, ClientError>, Never>
        var waiters: Set<Int>
    }

    private let fetch: Fetch
    private var current: IAMToken?
    private var renewal: Renewal?
    private var nextID = 0

    /// Creates an empty cache; `fetch` asks IAM for a new token.
    init(fetch: @escaping Fetch) {
        self.fetch = fetch
    }

    /// A token to send, and whether the caller waited for it to be issued.
    struct Served: Sendable {
        let value: String
        /// True when the caller waited for the renewal that issued it; false for a cached token, which
        /// may have been issued long before and expired since (a token's lifetime is IAM's to decide).
        let awaited: Bool
    }

    /// The token to send: the cached one while fresh, otherwise the result of the one renewal in flight
    /// (started when there is none).
    /// - Throws: the renewal's ``ClientError``; `.cancelled` when this task is cancelled while waiting.
    func token(now: Instant) async throws(ClientError) -> Served {
        if let current, current.isFresh(at: now) { return Served(value: current.value, awaited: false) }
        let waiter = makeID()
        let (renewalID, task) = join(waiter)
        let result = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            Task { await self.leave(waiter, renewalID: renewalID) }
        }
        leave(waiter, renewalID: renewalID)
        if Task.isCancelled { throw .cancelled }
        return Served(value: try result.get().value, awaited: true)
    }

    /// Drops `rejected` when it is still the cached token; a token already replaced is left alone, so
    /// any number of requests rejected with the same token cause one renewal.
    func invalidate(_ rejected: String) {
        if current?.value == rejected { current = nil }
    }

    private func join(_ waiter: Int) -> (Int, Task<Result<IAMToken, ClientError>, Never>) {
        if var running = renewal {
            running.waiters.insert(waiter)
            renewal = running
            return (running.id, running.task)
        }
        let id = makeID()
        let fetch = self.fetch
        let task = Task {
            let result = await fetch()
            self.finish(id, with: result)
            return result
        }
        renewal = Renewal(id: id, task: task, waiters: [waiter])
        return (id, task)
    }

    private func finish(_ id: Int, with result: Result<IAMToken, ClientError>) {
        if case .success(let token) = result { current = token }
        if renewal?.id == id { renewal = nil }
    }

    /// A waiter is done or cancelled; the renewal stops when nobody waits for it any more.
    private func leave(_ waiter: Int, renewalID: Int) {
        guard var running = renewal, running.id == renewalID, running.waiters.remove(waiter) != nil else { return }
        if running.waiters.isEmpty {
            running.task.cancel()
            renewal = nil
        } else {
            renewal = running
        }
    }

    private func makeID() -> Int {
        nextID += 1
        return nextID
    }
}
