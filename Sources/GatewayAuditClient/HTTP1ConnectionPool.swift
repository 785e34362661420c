import GatewayAuditCore
import NIOCore
import NIOConcurrencyHelpers

/// The connections of one ``HTTP1Transport``: at most `limit` open to an origin, idle ones lent again (the
/// most recently used first, so a burst's extra connections age out), requests beyond the limit waiting in
/// order for one to be free.
final class HTTP1ConnectionPool: Sendable {
    private struct Waiter {
        let id: UInt64
        /// Resumed with a connection to use, or nil when the waiter may open one itself.
        let continuation: CheckedContinuation<HTTP1Connection?, any Error>
    }

    private struct State {
        var idle: [HTTP1Origin: [HTTP1Connection]] = [:]
        var open: [HTTP1Origin: Int] = [:]
        var waiters: [HTTP1Origin: [Waiter]] = [:]
        var nextWaiter: UInt64 = 0
        var shutDown = false
    }

    private let state = NIOLockedValueBox(State())
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// An idle connection to `origin`, or nil with a slot reserved: the caller opens a connection and
    /// reports it with ``opened(_:)`` or ``failedToOpen(_:)``. Waits while `limit` connections are busy, until
    /// `deadline` at most (then `.timeout`: a request's timeout counts its wait for a connection, whose
    /// timer runs on `loop`).
    func acquire(_ origin: HTTP1Origin, deadline: NIODeadline, timerLoop loop: any EventLoop) async throws
        -> HTTP1Connection?
    {
        enum Grant {
            case connection(HTTP1Connection?)
            case wait(UInt64)
        }
        let grant = try state.withLockedValue { state throws(TransportError) -> Grant in
            guard !state.shutDown else { throw Self.shutDownError }
            while let connection = state.idle[origin]?.popLast() {
                if connection.channel.isActive { return .connection(connection) }
                state.open[origin, default: 1] -= 1
            }
            if state.open[origin, default: 0] < limit {
                state.open[origin, default: 0] += 1
                return .connection(nil)
            }
            state.nextWaiter += 1
            return .wait(state.nextWaiter)
        }
        guard case .wait(let id) = grant else {
            if case .connection(let connection) = grant { return connection }
            return nil
        }
        // The timer cannot fire before the deadline, and a waiter is only added before it (checked under the
        // lock), so a waiter is either refused at once or still listed when its timer fires.
        let timer = loop.scheduleTask(deadline: deadline) { [self] in
            resume(waiter: id, of: origin, throwing: TransportError.timeout)
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let refusal = state.withLockedValue { state -> (any Error)? in
                    if state.shutDown { return Self.shutDownError }
                    if Task.isCancelled { return CancellationError() }
                    if NIODeadline.now() >= deadline { return TransportError.timeout }
                    state.waiters[origin, default: []].append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let refusal { continuation.resume(throwing: refusal) }
            }
        } onCancel: {
            resume(waiter: id, of: origin, throwing: CancellationError())
        }
    }

    private static let shutDownError = TransportError.connection("the HTTP client was shut down")

    /// Ends the wait of waiter `id` with `error`, if it is still waiting.
    private func resume(waiter id: UInt64, of origin: HTTP1Origin, throwing error: any Error) {
        let waiter = state.withLockedValue { state -> Waiter? in
            guard let index = state.waiters[origin]?.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters[origin]?.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// A connection opened in a reserved slot; it is lent to its opener now, and when it closes while
    /// idle its slot is freed.
    func opened(_ connection: HTTP1Connection) {
        connection.channel.closeFuture.whenComplete { [self] _ in
            let waiter = state.withLockedValue { state -> Waiter? in
                guard let index = state.idle[connection.origin]?.firstIndex(where: { $0 === connection }) else {
                    return nil
                }
                state.idle[connection.origin]?.remove(at: index)
                return freeSlot(connection.origin, in: &state)
            }
            waiter?.continuation.resume(returning: nil)
        }
    }

    /// A reserved slot whose connection could not be opened.
    func failedToOpen(_ origin: HTTP1Origin) {
        let waiter = state.withLockedValue { state in freeSlot(origin, in: &state) }
        waiter?.continuation.resume(returning: nil)
    }

    /// A connection whose exchange ended with a whole answer and that may carry another.
    func release(_ connection: HTTP1Connection) {
        let (waiter, close) = state.withLockedValue { state -> (Waiter?, Bool) in
            if state.shutDown || !connection.channel.isActive { return (freeSlot(connection.origin, in: &state), true) }
            if var waiting = state.waiters[connection.origin], !waiting.isEmpty {
                let first = waiting.removeFirst()
                state.waiters[connection.origin] = waiting
                return (first, false)
            }
            state.idle[connection.origin, default: []].append(connection)
            return (nil, false)
        }
        if close {
            connection.channel.close(promise: nil)
            waiter?.continuation.resume(returning: nil)
        } else {
            waiter?.continuation.resume(returning: connection)
        }
    }

    /// A connection that must not carry another request: closed, its slot freed.
    func discard(_ connection: HTTP1Connection) {
        connection.channel.close(promise: nil)
        let waiter = state.withLockedValue { state in freeSlot(connection.origin, in: &state) }
        waiter?.continuation.resume(returning: nil)
    }

    /// Marks the pool shut down and hands back its idle connections to close; nil when it already was.
    func shutDown() -> [HTTP1Connection]? {
        let taken = state.withLockedValue { state -> (idle: [HTTP1Connection], waiters: [Waiter])? in
            guard !state.shutDown else { return nil }
            state.shutDown = true
            defer {
                state.idle = [:]
                state.waiters = [:]
            }
            return (state.idle.values.flatMap { $0 }, state.waiters.values.flatMap { $0 })
        }
        guard let taken else { return nil }
        for waiter in taken.waiters {
            waiter.continuation.resume(throwing: Self.shutDownError)
        }
        return taken.idle
    }

    /// A freed slot goes to the first waiter (who opens a connection in it), or back to the count.
    private func freeSlot(_ origin: HTTP1Origin, in state: inout State) -> Waiter? {
        if var waiting = state.waiters[origin], !waiting.isEmpty {
            let first = waiting.removeFirst()
            state.waiters[origin] = waiting
            return first
        }
        state.open[origin, default: 1] -= 1
        return nil
    }
}
