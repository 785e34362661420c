import Crypto
import Foundation
import GatewayAudit
import VPNSimulator

extension Stages {
    /// One night of every kind (N customer gateways, N/5 VPN gateways, N connections), unchanged except
    /// for operational members (status kept, BGP counters and durations moving), against bare inserts of
    /// the same rows; and the database growth per such unchanged observation over several nights.
    func ingestKinds(into table: inout BenchTable) async throws {
        // `current` builds the night's gateways on each access: read it once.
        let customerGateways = SyntheticYear(gateways: gateways).current.map(\.resource)
        let vgwCount = max(1, gateways / 5)
        func night(_ n: Int) throws -> [Resource] {
            var all = customerGateways
            for index in 0..<vgwCount { all.append(try KindBenchGenerator.vpnGateway(index, night: n)) }
            for (index, gateway) in customerGateways.enumerated() {
                all.append(
                    try KindBenchGenerator.connection(index, cgw: gateway.id.rawValue, vgwCount: vgwCount, night: n))
            }
            return all
        }
        let first = try night(0)
        let seen = SyntheticYear.runTime(ofNight: 0)
        let reference = try BareInsertStore(path: path("reference-kinds.sqlite"))
        let rows = first.map { (gateway: $0, content: $0.canonicalJSON, hash: $0.contentSHA256) }
        // The reference runs once before each measured night (same rows again, into the same file), and
        // both sides take the median: a shared machine's fsync times vary by 3× from one run to the next.
        var referenceRuns: [Double] = []

        let store = try HistoryDatabase.open(path: path("ingest-kinds.sqlite"))
        try await record(first.map { Observation.present($0, at: seen) }, in: store, at: seen)
        try store.checkpoint()
        let sizeAfterFirst = try store.fileSize()
        let unchangedNights = 5
        var unchangedSeconds: [Double] = []
        var unchangedObservations = 0
        for n in 1...unchangedNights {
            let at = SyntheticYear.runTime(ofNight: n)
            let observations = try night(n).map { Observation.present($0, at: at) }
            var outcomes: [ObservationOutcome] = []
            referenceRuns.append(try measure { try reference.insert(rows, seen: seen) })
            unchangedSeconds.append(try await measure { outcomes = try await record(observations, in: store, at: at) })
            unchangedObservations += outcomes.filter { $0 == .unchanged }.count
        }
        try store.checkpoint()
        let growth = Double(try store.fileSize() - sizeAfterFirst) / Double(max(unchangedObservations, 1))
        let nightSeconds = median(unchangedSeconds)
        let referenceSeconds = median(referenceRuns)
        let ratio = nightSeconds / referenceSeconds
        let label = "\(gateways) cgw + \(vgwCount) vgw + \(gateways) conn."
        table.add(
            BenchRow(
                stage: "ingest: night of \(label), operational only", figure: String(format: "%.3f s", nightSeconds),
                reference: String(
                    format: "%.3f s bare inserts of %d rows (medians of 5)", referenceSeconds, first.count),
                ratio: ratio, target: "≤ 2×", met: ratio <= 2))
        table.add(
            BenchRow(
                stage: "storage: bytes per unchanged observation, three kinds",
                figure: String(format: "%.2f B", growth),
                reference: "\(unchangedObservations) unchanged obs. over \(unchangedNights) nights", ratio: nil,
                target: "< 16 B", met: growth < 16))
    }
}

/// VPN gateways and connections shaped like the official SDK's models; only operational members move
/// from night to night.
enum KindBenchGenerator {
    static func vpnGateway(_ index: Int, night: Int) throws -> Resource {
        try Resource(
            kind: .vpnGateway,
            json: .object([
                "id": .string("vgw-\(index)"), "name": .string("vgw-\(index)"), "status": "ACTIVE",
                "attachment_type": "vpc", "network_type": "public", "ip_version": "ipv4",
                "vpc_id": .string("vpc-\(index)"), "local_subnets": .array([.string("192.168.\(index % 256).0/24")]),
                "connect_subnet": .string("subnet-\(index)"), "bgp_asn": .integer(64512), "flavor": "Professional1",
                "availability_zone_ids": .array(["eu-de-01", "eu-de-02"]), "ha_mode": "active-active",
                "eip1": .object([
                    "id": .string("eip-\(index)"), "ip_address": .string("80.158.\(index / 256 % 256).\(index % 256)"),
                ]),
                "used_connection_number": .integer(Int64(5 + night % 2)), "used_connection_group": .integer(5),
                "connection_number": .integer(200), "created_at": "2024-01-01T00:00:00Z",
                "applied_at": "2024-01-01T00:05:00Z", "updated_at": "2024-01-01T00:05:00Z",
            ]))
    }

    static func connection(_ index: Int, cgw: String, vgwCount: Int, night: Int) throws -> Resource {
        try Resource(
            kind: .vpnConnection,
            json: .object([
                "id": .string("vpnc-\(index)"), "name": .string("tunnel-\(index)"), "status": "ACTIVE",
                "vgw_id": .string("vgw-\(index % vgwCount)"), "vgw_ip": "80.158.0.1", "cgw_id": .string(cgw),
                "style": "bgp", "peer_subnets": .array([.string("10.\(index / 256 % 256).\(index % 256).0/24")]),
                "ikepolicy": .object(["ike_version": "v2", "encryption_algorithm": "aes-256", "dh_group": "group14"]),
                "ipsecpolicy": .object(["encryption_algorithm": "aes-256", "pfs": "group14"]),
                "bgp_peer": .object([
                    "peer_ip_address": "169.254.1.2", "peer_asn": .integer(65000), "state": "Established",
                    "state_duration": .string("\(night * 24 + 3)h"), "num_received_routes": .integer(Int64(10 + night)),
                    "num_message_received": .integer(Int64(1000 + night * 97)),
                    "num_message_sent": .integer(Int64(1000 + night * 101)),
                ]),
                "created_at": "2024-01-01 00:10:00", "updated_at": "2024-01-01 00:10:00",
            ]))
    }
}
