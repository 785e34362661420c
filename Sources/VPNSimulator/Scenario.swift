import Foundation
import GatewayAuditCore

/// A simulated project's history: the gateways at night 0 and what happens to them night by night,
/// plus any faults to inject. Codable, so a scenario can be written as JSON and loaded with
/// ``load(from:)``; ``Scenario/standard`` is the built-in one.
public struct Scenario: Sendable, Hashable, Codable {
    /// A name for logs and the banner.
    public var name: String
    /// The seed for generated ids, tokens, request ids and probabilistic faults.
    public var seed: UInt64
    /// The project id served under `/v5/{project_id}/`.
    public var projectID: String
    /// The project name (for IAM scope by name).
    public var projectName: String
    /// The virtual time of night 0's run, RFC 3339 (e.g. `2025-03-01T02:00:00Z`).
    public var start: String
    /// How many nights the scenario describes (events after it are still applied if present).
    public var nights: Int
    /// The gateways that exist at night 0.
    public var gateways: [SimulatedGateway]
    /// The scheduled changes.
    public var events: [ScenarioEvent]
    /// Faults active from the start (none in the built-in scenario).
    public var faults: [FaultRule]
    /// How list markers work (``MarkerMode/composite`` unless the scenario says otherwise).
    public var markerMode: MarkerMode
    /// The VPN gateways that exist at night 0.
    public var vpnGateways: [SimulatedVPNGateway]
    /// The VPN connections that exist at night 0.
    public var connections: [SimulatedConnection]
    /// The scheduled changes to VPN gateways and connections.
    public var vpnEvents: [VPNScenarioEvent]

    /// Creates a scenario.
    public init(
        name: String, seed: UInt64, projectID: String, projectName: String = "eu-de_demo", start: String,
        nights: Int, gateways: [SimulatedGateway], events: [ScenarioEvent] = [], faults: [FaultRule] = [],
        markerMode: MarkerMode = .composite, vpnGateways: [SimulatedVPNGateway] = [],
        connections: [SimulatedConnection] = [], vpnEvents: [VPNScenarioEvent] = []
    ) {
        self.name = name
        self.seed = seed
        self.projectID = projectID
        self.projectName = projectName
        self.start = start
        self.nights = nights
        self.gateways = gateways
        self.events = events
        self.faults = faults
        self.markerMode = markerMode
        self.vpnGateways = vpnGateways
        self.connections = connections
        self.vpnEvents = vpnEvents
    }

    private enum CodingKeys: String, CodingKey {
        case name, seed, projectID, projectName, start, nights, gateways, events, faults, markerMode
        case vpnGateways, connections, vpnEvents
    }

    /// Decodes a scenario; `events`, `faults`, `projectName`, `name`, `markerMode`, `vpnGateways`,
    /// `connections` and `vpnEvents` may be omitted.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decodeIfPresent(String.self, forKey: .name) ?? "custom",
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1,
            projectID: try c.decode(String.self, forKey: .projectID),
            projectName: try c.decodeIfPresent(String.self, forKey: .projectName) ?? "eu-de_demo",
            start: try c.decode(String.self, forKey: .start),
            nights: try c.decodeIfPresent(Int.self, forKey: .nights) ?? 0,
            gateways: try c.decodeIfPresent([SimulatedGateway].self, forKey: .gateways) ?? [],
            events: try c.decodeIfPresent([ScenarioEvent].self, forKey: .events) ?? [],
            faults: try c.decodeIfPresent([FaultRule].self, forKey: .faults) ?? [],
            markerMode: try c.decodeIfPresent(MarkerMode.self, forKey: .markerMode) ?? .composite,
            vpnGateways: try c.decodeIfPresent([SimulatedVPNGateway].self, forKey: .vpnGateways) ?? [],
            connections: try c.decodeIfPresent([SimulatedConnection].self, forKey: .connections) ?? [],
            vpnEvents: try c.decodeIfPresent([VPNScenarioEvent].self, forKey: .vpnEvents) ?? [])
    }

    /// Reads a scenario from a JSON file.
    /// - Throws: ``SimulatorError/scenarioUnreadable(path:reason:)`` when the file cannot be read or
    ///   decoded, ``SimulatorError/invalidScenario(_:)`` when it is inconsistent.
    public static func load(from url: URL) throws(SimulatorError) -> Scenario {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .scenarioUnreadable(path: url.path, reason: error.localizedDescription)
        }
        return try decode(data, origin: url.path)
    }

    /// Decodes a scenario from JSON bytes.
    /// - Throws: ``SimulatorError`` as ``load(from:)``.
    public static func decode(_ data: Data, origin: String = "scenario JSON") throws(SimulatorError) -> Scenario {
        let scenario: Scenario
        do {
            scenario = try JSONDecoder().decode(Scenario.self, from: data)
        } catch {
            throw .scenarioUnreadable(path: origin, reason: "\(error)")
        }
        try scenario.validate()
        return scenario
    }

    /// The scenario as pretty, sorted-key JSON (a template for writing one's own).
    public func jsonData() throws(SimulatorError) -> Data {
        do {
            return try JSONEncoder.pretty().encode(self)
        } catch {
            throw .invalidScenario("cannot encode: \(error)")
        }
    }

    /// The instant of night 0's run.
    /// - Throws: ``SimulatorError/invalidScenario(_:)`` when `start` is not RFC 3339.
    public func startInstant() throws(SimulatorError) -> Instant {
        do {
            return try Timestamp(parsing: start).instant
        } catch {
            throw .invalidScenario("start: \(error.description)")
        }
    }

    /// Checks that the scenario can run: parsable times, unique ids, events on known gateways.
    /// - Throws: ``SimulatorError/invalidScenario(_:)`` naming the first problem.
    public func validate() throws(SimulatorError) {
        _ = try startInstant()
        var known = Set<GatewayID>()
        for gateway in gateways {
            guard known.insert(gateway.id).inserted else {
                throw .invalidScenario("gateway id \(gateway.id) appears twice")
            }
            guard gateway.createdAt != nil else { throw .invalidScenario("gateway \(gateway.id) has no createdAt") }
            try Scenario.checkTimes(of: gateway)
        }
        for event in events {
            guard event.night >= 1 else {
                throw .invalidScenario("event for \(event.gateway) on night \(event.night): nights start at 1")
            }
            switch event.change {
            case .create(let gateway):
                guard gateway.id == event.gateway else {
                    throw .invalidScenario("create event for \(event.gateway) describes gateway \(gateway.id)")
                }
                try Scenario.checkTimes(of: gateway)
                known.insert(gateway.id)
            case .recreate(let newID):
                guard known.contains(event.gateway) else {
                    throw .invalidScenario("recreate of unknown gateway \(event.gateway)")
                }
                known.insert(newID)
            default:
                guard known.contains(event.gateway) else {
                    throw .invalidScenario("event on night \(event.night) for unknown gateway \(event.gateway)")
                }
            }
        }
        try validateVPN(customerGateways: known)
    }

    private static func checkTimes(of gateway: SimulatedGateway) throws(SimulatorError) {
        for text in [gateway.createdAt, gateway.updatedAt, gateway.certificate?.expireTime].compactMap({ $0 }) {
            do {
                _ = try Timestamp(parsing: text)
            } catch {
                throw .invalidScenario("gateway \(gateway.id): \(error.description)")
            }
        }
    }
}
