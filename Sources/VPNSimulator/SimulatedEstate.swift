import Foundation
import GatewayAuditCore

/// Several regions, each one server (its own port) with several projects, each project its own
/// scenario and seed: what an estate's nightly run meets. Project `k` of region `r` plays `base` with
/// its own gateway ids, project id and seed; the first project of a region is named after it, the
/// others `{region}_team{k}` (the clouds' naming rule that IAM's project list follows).
public struct SimulatedEstate: Sendable {
    /// The servers by region name.
    public let regions: [String: RunningSimulator]
    /// The engines by region name, in project order.
    public let projects: [String: [SimulatedCloud]]

    /// Builds and starts the estate.
    /// - Parameters:
    ///   - layout: each region and how many projects it has.
    ///   - base: the scenario every project plays (with its own ids and seed).
    /// - Throws: ``SimulatorError`` when a scenario does not validate or a port cannot be bound.
    public static func start(
        _ layout: [(region: String, projects: Int)], base: Scenario = .standard,
        credentials: SimulatorCredentials = .standard
    ) async throws(SimulatorError) -> SimulatedEstate {
        var regions: [String: RunningSimulator] = [:]
        var projects: [String: [SimulatedCloud]] = [:]
        var ordinal = 0
        for (region, count) in layout {
            var clouds: [SimulatedCloud] = []
            for index in 0..<max(1, count) {
                ordinal += 1
                let scenario = try SimulatedEstate.scenario(base, region: region, index: index, ordinal: ordinal)
                clouds.append(try SimulatedCloud(scenario: scenario, credentials: credentials))
            }
            let directory = clouds.map { SimulatedProject(id: $0.projectID, name: $0.scenario.projectName) }
            for cloud in clouds { await cloud.setProjectDirectory(directory) }
            regions[region] = try await SimulatorServer(clouds: clouds[0], Array(clouds.dropFirst())).start()
            projects[region] = clouds
        }
        return SimulatedEstate(regions: regions, projects: projects)
    }

    /// `base` as project `index` of `region` (`ordinal` counts projects over the whole estate): resource
    /// ids `…-{9e0a + ordinal}-…` (VPN gateways `b1c9 + ordinal`, connections `a7f0 + ordinal`), a project id derived from ordinal and region, seed `base.seed + ordinal`.
    /// - Throws: ``SimulatorError/invalidScenario(_:)``.
    public static func scenario(_ base: Scenario, region: String, index: Int, ordinal: Int) throws(SimulatorError)
        -> Scenario
    {
        // Every resource id is unique across the estate, as UUIDs are in a real cloud: customer gateways,
        // VPN gateways and connections each get the ordinal in their fourth group.
        var text = String(decoding: try base.jsonData(), as: UTF8.self)
        for (head, group) in [
            ("5f0c1a8e-3b2d-4c71-", 0x9e0a), ("4b7e2c10-8d5a-4f36-", 0xb1c9), ("9d3f6a21-2c4b-4e8d-", 0xa7f0),
        ] {
            text = text.replacingOccurrences(
                of: head + String(format: "%04x", group) + "-",
                with: head + String(format: "%04x", group + ordinal) + "-")
        }
        var scenario = try Scenario.decode(Data(text.utf8), origin: "\(region) project \(index)")
        // Unique by ordinal; the region's bytes only make ids easy to tell apart by eye.
        scenario.projectID =
            String(format: "%08x", ordinal)
            + String(Array(region.utf8).hexString.prefix(24)).padding(toLength: 24, withPad: "0", startingAt: 0)
        scenario.projectName = index == 0 ? region : "\(region)_team\(index)"
        scenario.seed = base.seed &+ UInt64(ordinal)
        return scenario
    }

    /// Moves every project to night `night`.
    /// - Throws: ``SimulatorError/cannotGoBack(requested:current:)``.
    public func advance(to night: Int) async throws(SimulatorError) {
        for clouds in projects.values {
            for cloud in clouds { try await cloud.advance(to: night) }
        }
    }

    /// Stops every server.
    public func stop() async {
        for running in regions.values { await running.stop() }
    }
}
