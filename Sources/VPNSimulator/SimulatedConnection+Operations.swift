import GatewayAuditCore

extension SimulatedConnection {
    /// The `bgp_peer` object at night `night`: configuration plus state and counters that move every night.
    func peerJSON(_ peer: SimulatedBGPPeer, night: Int, runTime: Instant) -> JSONValue {
        let up = status(night: night) == "ACTIVE"
        let seed = Int64(SimulatedConnection.stableHash(id) % 997)
        let n = Int64(max(0, night))
        return .object([
            "peer_ip_address": .string(peer.peerIPAddress), "peer_asn": .integer(peer.peerASN),
            "state": .string(up ? "Established" : "Idle"),
            "state_duration": .string(String(stateDurationSeconds(night: night, runTime: runTime))),
            "num_received_routes": .integer(up ? peer.baseRoutes + n % 3 : 0),
            "num_message_received": .integer(1_000 + seed + n * 2_880 + n % 7),
            "num_message_sent": .integer(900 + seed + n * 2_881),
        ])
    }

    /// Seconds since the status last changed, or since creation. The flap before run `k` happens at
    /// 14:00Z plus `k % 5` × 5 minutes, so two flaps on consecutive nights give different durations.
    func stateDurationSeconds(night: Int, runTime: Instant) -> Int64 {
        var since = createdInstant
        if night >= 1 {
            for k in stride(from: night, through: 1, by: -1) where status(night: k) != status(night: k - 1) {
                let flap = runTime.adding(seconds: -Int64(night - k) * 86_400 - 43_200 + Int64(k % 5) * 300)
                if flap > since { since = flap }
                break
            }
        }
        return max(0, runTime.seconds - since.seconds)
    }

    /// FNV-1a over the id's bytes: the same on every platform and run (unlike `Hasher`).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
