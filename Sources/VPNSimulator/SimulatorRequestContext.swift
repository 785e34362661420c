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
