import Foundation
import GatewayAuditClient
import HTTPTypes

/// The collector's HTTP client alone: its transport (``HTTP1Transport``, or AsyncHTTPClient that it
/// replaced) fetching the URL `wrk` fetches, `requests` times at `concurrency`, in the bench's own process,
/// with no authentication pipeline, decoding, hashing or store. What no collector on this HTTP client can go
/// below, in CPU per request.
enum TransportFloor {
    enum Client: String, CaseIterable {
        case own = "HTTP1Transport"
        case asyncHTTPClient = "AsyncHTTPClient"
    }

    struct Result {
        let seconds: Double
        /// User + system CPU of the bench process over the requests (nothing else runs in it meanwhile).
        let cpuSeconds: Double
        let requests: Int
    }

    /// Runs the requests; every response must be a 200.
    /// - Throws: ``ClientError``, ``TransportError`` or ``BenchError`` (a response that is not a 200).
    static func run(_ client: Client, url: URL, token: String, requests: Int, concurrency: Int) async throws -> Result {
        let transport: any Transport
        let shutdown: () async throws -> Void
        switch client {
        case .own:
            let own = try HTTP1Transport(connectionsPerHost: concurrency)
            (transport, shutdown) = (own, { try await own.shutdown() })
        case .asyncHTTPClient:
            let other = AsyncHTTPClientTransport(connectionsPerHost: concurrency)
            (transport, shutdown) = (other, { try await other.shutdown() })
        }
        var fields = HTTPFields()
        if let name = HTTPField.Name("X-Auth-Token") { fields[name] = token }
        let request = ClientRequest(method: .get, url: url, headerFields: fields)
        func fetch() async throws {
            let response = try await transport.send(request, timeout: .seconds(30))
            guard response.status == .ok else { throw BenchError("\(url) answered \(response.status.code)") }
        }
        // Connections first, as the collector's first requests open them.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency { group.addTask { try await fetch() } }
            try await group.waitForAll()
        }
        let cpuBefore = processCPUSeconds()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                let share = requests / concurrency + (worker < requests % concurrency ? 1 : 0)
                group.addTask { for _ in 0..<share { try await fetch() } }
            }
            try await group.waitForAll()
        }
        let seconds = started.duration(to: .now).seconds
        let cpu = processCPUSeconds() - cpuBefore
        try await shutdown()
        return Result(seconds: seconds, cpuSeconds: cpu, requests: requests)
    }

    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
