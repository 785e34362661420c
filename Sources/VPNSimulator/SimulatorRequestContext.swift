import Hummingbird
import NIOCore

/// The request context of the simulator's router: Hummingbird's core storage plus the connection, so
/// a `connectionReset` fault can close it without answering.
public struct SimulatorRequestContext: RequestContext {
    /// Hummingbird's per-request storage (parameters, logger).
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    public let channel: any Channel

    /// Creates a context for a request on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

extension SimulatorRequestContext {
    /// Waits until `deadline` on the connection's event loop, holding no thread; cancelling the task
    /// ends the wait at once (with `CancellationError`), as `Task.sleep` did.
    ///
    /// Not `Task.sleep`: on Linux that is Dispatch's timer, and without a tolerance Dispatch may fire a
    /// tenth of the wait late (5 ms on 50 ms); in a test here 64 waits of 50 ms took 53–55 ms in some
    /// bursts, and 53.5 ms once even with a zero tolerance, so a simulated latency came out longer than
    /// asked. With the event loop's timer, 50 ms holds took 50.24–50.49 ms on average in the bench's
    /// runs, the task's resumption included.
    func hold(until deadline: NIODeadline) async throws {
        let scheduled = channel.eventLoop.scheduleTask(deadline: deadline) {}
        try await withTaskCancellationHandler {
            do {
                try await scheduled.futureResult.get()
            } catch {
                // A cancelled wait fails with NIO's `cancelled`; the task's cancellation is the reason.
                try Task.checkCancellation()
                throw error
            }
        } onCancel: {
            scheduled.cancel()
        }
    }
}
