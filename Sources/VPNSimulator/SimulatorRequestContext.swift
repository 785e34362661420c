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
    /// Waits until `deadline` on the connection's event loop, holding no thread.
    ///
    /// Not `Task.sleep`: on Linux that is Dispatch's timer, which fired 50 ms waits up to 5 ms late on
    /// this machine (the waits of a burst together), so a simulated latency came out longer than asked.
    /// With the event loop's timer, 50 ms holds took 50.24–50.49 ms on average in the bench's runs,
    /// the task's resumption included.
    func hold(until deadline: NIODeadline) async throws {
        try await channel.eventLoop.scheduleTask(deadline: deadline) {}.futureResult.get()
    }
}
