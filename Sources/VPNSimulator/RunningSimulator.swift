import Foundation
import ServiceLifecycle

/// A simulator listening in this process: where it is, and how to stop it.
public struct RunningSimulator: Sendable {
    /// The host it listens on.
    public let host: String
    /// The bound port (the real one when 0 was asked for).
    public let port: Int
    /// The engine, to advance the clock or configure faults while it runs.
    public let cloud: SimulatedCloud
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(host: String, port: Int, cloud: SimulatedCloud, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.cloud = cloud
        self.group = group
        self.task = task
    }

    /// `http://host:port` without a trailing slash; the v5 API is under `/v5/{project_id}/`.
    public var baseURLString: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }

    /// ``baseURLString`` as a URL (nil only for a host name that cannot be part of a URL).
    public var baseURL: URL? { URL(string: baseURLString) }

    /// Stops listening, closes idle connections, lets requests in flight finish, and waits until the
    /// server has shut down.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
