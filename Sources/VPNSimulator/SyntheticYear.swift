import GatewayAuditCore

/// A synthetic history for benchmarks: `count` gateways over many nights, about `changeRate` of them
/// changing each night (renames, certificate rotations, tag edits, deletions, re-creations, timestamp
/// quirks). Deterministic for a seed; call ``advance()`` once per night.
public struct SyntheticYear: Sendable {
    /// Night 0's run time.
    public static let start = Instant(seconds: 1_735_696_800)  // 2025-01-01T02:00:00Z

    private var generator: SeededGenerator
    private var gateways: [SimulatedGateway]
    private let changeRate: Double
    /// The night the current state belongs to (0 before the first ``advance()``).
    public private(set) var night = 0
    private var nextSerial = 1

    /// Creates night 0 with `count` gateways.
    public init(gateways count: Int, seed: UInt64 = 1, changeRate: Double = 0.01) {
        var generator = SeededGenerator(seed: seed)
        var gateways: [SimulatedGateway] = []
        gateways.reserveCapacity(count)
        for index in 0..<count { gateways.append(SyntheticYear.gateway(index, generator: &generator)) }
        self.generator = generator
        self.gateways = gateways
        self.changeRate = changeRate
    }

    /// The run time of `night`.
    public static func runTime(ofNight night: Int) -> Instant {
        start.adding(seconds: Int64(night) * 86_400)
    }

    /// The gateways as the API would send them tonight.
    public var current: [CustomerGateway] {
        gateways.compactMap { try? CustomerGateway(json: $0.json) }
    }

    /// The gateways as JSON objects, for nightly dump files.
    public var currentJSON: [JSONValue] { gateways.map(\.json) }

    /// Moves to the next night, applying its changes; returns how many gateways changed.
    @discardableResult
    public mutating func advance() -> Int {
        night += 1
        let changeTime = SyntheticYear.runTime(ofNight: night).adding(seconds: -12 * 3600)
        let stamp = changeTime.iso8601(fractionDigits: 3)
        let changes = max(1, Int((Double(gateways.count) * changeRate).rounded()))
        var touched = Set<Int>()
        for _ in 0..<changes {
            let index = Int(generator.next() % UInt64(gateways.count))
            guard touched.insert(index).inserted else { continue }
            let roll = generator.next() % 100
            switch roll {
            case 0..<40:
                gateways[index].name = "cgw-\(index)-n\(night)"
                gateways[index].updatedAt = stamp
            case 40..<60:
                nextSerial += 1
                gateways[index].certificate = SimulatedCertificate(
                    id: "cert-\(nextSerial)", serialNumber: String(nextSerial, radix: 16, uppercase: true),
                    signatureAlgorithm: "sha256WithRSAEncryption", issuer: "CN=Synthetic CA",
                    subject: "CN=\(gateways[index].name)", expireTime: changeTime.adding(seconds: 31_536_000).iso8601(),
                    isUpdatable: true)
                gateways[index].updatedAt = stamp
            case 60..<80:
                if gateways[index].tags.isEmpty {
                    gateways[index].tags = [Tag(key: "owner", value: "team-\(night % 7)")]
                } else {
                    gateways[index].tags.removeAll()
                }
            case 80..<85:
                let replacement = SyntheticYear.gateway(gateways.count + night * 1000 + index, generator: &generator)
                var recreated = replacement
                recreated.idValue = gateways[index].idValue
                recreated.createdAt = stamp
                recreated.updatedAt = stamp
                gateways[index] = recreated
            case 85..<90:
                gateways.remove(at: index)
                touched = Set(touched.map { $0 > index ? $0 - 1 : $0 })
            default:
                if let text = gateways[index].updatedAt, let timestamp = try? Timestamp(parsing: text) {
                    gateways[index].updatedAt = timestamp.instant.iso8601(fractionDigits: 6)
                }
            }
        }
        return touched.count
    }

    static func gateway(_ index: Int, generator: inout SeededGenerator) -> SimulatedGateway {
        let created = start.adding(seconds: -Int64(index % 86_400) * 60).iso8601(fractionDigits: 3)
        let id = GatewayID(
            "\(hex(generator.next(), 8))-\(hex(generator.next(), 4))-4\(hex(generator.next(), 3))-8\(hex(generator.next(), 3))-\(hex(generator.next(), 12))"
        )
        return SimulatedGateway(
            id: id, name: "cgw-\(index)", idValue: "10.\(index / 65_536 % 256).\(index / 256 % 256).\(index % 256)",
            bgpASN: 64_512 + Int64(index % 1000), tags: [Tag(key: "env", value: index % 3 == 0 ? "prod" : "test")],
            createdAt: created, updatedAt: created)
    }

    private static func hex(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(String(repeating: "0", count: max(0, digits - text.count)) + text).suffix(digits).description
    }
}
