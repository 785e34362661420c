import Foundation
import GatewayAuditCore
import Hummingbird

extension SimulatorServer {
    func addAdminRoutes(to router: Router<SimulatorRequestContext>) {
        let cloud = self.cloud
        // Every project of a multi-project server moves on the same clock.
        let others = projects.values.filter { $0 !== cloud }
        let latency = Latency(configured: self.latency, gauge: gauge)
        router.get("/_sim/state") { _, _ in await SimulatorServer.state(of: cloud, latency: latency) }
        router.post("/_sim/advance") { request, _ in
            let query = request.uri.queryParameters
            // Each value a whole number of nights, 0 or more: anything else is refused, never read as 1.
            func nights(_ name: String) -> Int?? {
                guard let text = query.get(name) else { return .some(nil) }
                guard let value = Int(text), value >= 0 else { return nil }
                return .some(value)
            }
            guard let target = nights("night"), let count = nights("nights") else {
                return SimulatorServer.adminError(400, "night and nights take a whole number of nights, 0 or more")
            }
            if target == nil, let count, count > SimulatedCloud.lastNight {
                return SimulatorServer.adminError(
                    400, "cannot advance \(count) nights: the clock goes up to night \(SimulatedCloud.lastNight)")
            }
            for engine in [cloud] + others {
                if let target {
                    do {
                        try await engine.advance(to: target)
                    } catch {
                        return SimulatorServer.adminError(400, "\(error)")
                    }
                } else {
                    await engine.advance(nights: count ?? 1)
                }
            }
            return await SimulatorServer.state(of: cloud, latency: latency)
        }
        router.post("/_sim/faults") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            let rule: FaultRule
            do {
                rule = try JSONDecoder().decode(FaultRule.self, from: Data(body.readableBytesView))
            } catch {
                return SimulatorServer.adminError(400, "not a fault rule (see vpn-simulator --dump-scenario): \(error)")
            }
            let id = await cloud.addFault(rule)
            return SimulatorServer.hummingbirdResponse(
                .json(201, .object(["id": .integer(Int64(id))]), requestID: "simulator-admin"))
        }
        router.get("/_sim/faults") { _, _ in
            let firings = await cloud.faultFirings.map { firing -> JSONValue in
                var members: [String: JSONValue] = [
                    "rule": .integer(Int64(firing.ruleID)), "route": .string(firing.route.rawValue),
                    "night": .integer(Int64(firing.night)),
                ]
                if let gateway = firing.gateway { members["gateway"] = .string(gateway.rawValue) }
                return .object(members)
            }
            return SimulatorServer.hummingbirdResponse(
                .json(200, .object(["firings": .array(firings)]), requestID: "simulator-admin"))
        }
        router.delete("/_sim/faults") { _, _ in
            await cloud.removeAllFaults()
            return Response(status: .noContent)
        }
    }

    private static func adminError(_ status: Int, _ message: String) -> Response {
        hummingbirdResponse(.json(status, .object(["error_msg": .string(message)]), requestID: "simulator-admin"))
    }

    /// The latency a server adds, and what its holds really took.
    private struct Latency: Sendable {
        let configured: Duration
        let gauge: RequestGauge

        /// `latency_ms` (configured), `held_requests` and `held_mean_ms` (what the holds took on average).
        var members: [String: JSONValue] {
            let holds = gauge.holds
            return [
                "latency_ms": .integer(
                    configured.components.seconds * 1_000 + configured.components.attoseconds / 1_000_000_000_000_000),
                "held_requests": .integer(Int64(holds.requests)),
                "held_mean_ms": .double(holds.mean / .milliseconds(1)),
            ]
        }
    }

    private static func state(of cloud: SimulatedCloud, latency: Latency) async -> Response {
        let now = await cloud.now
        let body: JSONValue = .object(
            [
                "night": .integer(Int64(await cloud.night)),
                "now": .string(TimestampStyle.milliseconds.render(now)),
                "sdk_date": .string(AKSKSigner.sdkDate(now)),
                "project_id": .string(cloud.projectID),
                "gateway_count": .integer(Int64(await cloud.liveGateways.count)),
                "vpn_gateway_count": .integer(Int64(await cloud.liveVPNGateways.count)),
                "connection_count": .integer(Int64(await cloud.liveConnections.count)),
                "marker_mode": .string(cloud.scenario.markerMode.rawValue),
                "token_requests": .integer(Int64(await cloud.tokenRequests)),
            ].merging(latency.members) { first, _ in first })
        return hummingbirdResponse(.json(200, body, requestID: "simulator-admin"))
    }
}
