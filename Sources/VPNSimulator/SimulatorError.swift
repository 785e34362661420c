import Foundation

/// Why the simulator could not do what was asked.
public enum SimulatorError: Error, Sendable, Hashable {
    /// A scenario file could not be read or decoded.
    case scenarioUnreadable(path: String, reason: String)
    /// A scenario is inconsistent (unknown gateway in an event, bad timestamp, ...).
    case invalidScenario(String)
    /// `advance(to:)` was asked to go back in time.
    case cannotGoBack(requested: Int, current: Int)
    /// `advance(to:)` was asked to go past ``SimulatedCloud/lastNight``.
    case tooFar(requested: Int)
    /// The HTTP server could not start (address in use, bad host name, ...).
    case cannotStart(host: String, port: Int, reason: String)
}

extension SimulatorError: CustomStringConvertible {
    /// What went wrong and what to do about it.
    public var description: String {
        switch self {
        case .scenarioUnreadable(let path, let reason):
            return "cannot read scenario \(path): \(reason). Check the path, or dump the built-in scenario with"
                + " `vpn-simulator --dump-scenario` and start from that"
        case .invalidScenario(let reason):
            return "invalid scenario: \(reason). Fix the scenario JSON and start again"
        case .cannotGoBack(let requested, let current):
            return "cannot advance to night \(requested): the clock is already at night \(current) and never goes back;"
                + " start a new simulator to replay earlier nights"
        case .tooFar(let requested):
            return "cannot advance to night \(requested): the clock goes up to night \(SimulatedCloud.lastNight)"
        case .cannotStart(let host, let port, let reason):
            return "cannot listen on \(host):\(port): \(reason). Choose another --port (0 picks a free one)"
        }
    }
}

extension SimulatorError: LocalizedError {
    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
