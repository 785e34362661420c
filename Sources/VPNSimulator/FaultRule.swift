import GatewayAuditCore

/// When and where a fault fires.
///
/// A request matches when its route is in `routes` (nil: any route), its gateway id is in `gateways`
/// (nil: any request; otherwise only routes that name a gateway), and the current night is within
/// `fromNight...toNight`. Of the matching requests, the first `skip` pass untouched, then the fault fires
/// on the next `count` (nil: all of them), each with `probability` (drawn from a generator seeded from
/// the simulator's seed and the rule, so a run is reproducible).
public struct FaultRule: Sendable, Hashable, Codable {
    /// What happens.
    public var kind: FaultKind
    /// Routes it applies to; nil for every route.
    public var routes: [RouteKind]?
    /// Gateways it applies to; nil for every request.
    public var gateways: [GatewayID]?
    /// First night it applies (inclusive); nil for no lower bound.
    public var fromNight: Int?
    /// Last night it applies (inclusive); nil for no upper bound.
    public var toNight: Int?
    /// Matching requests let through before the fault starts.
    public var skip: Int
    /// How many times it fires (a burst of N consecutive errors); nil for unlimited.
    public var count: Int?
    /// Chance to fire on each eligible request, 0...1.
    public var probability: Double

    /// Creates a rule.
    public init(
        _ kind: FaultKind, routes: [RouteKind]? = nil, gateways: [GatewayID]? = nil, fromNight: Int? = nil,
        toNight: Int? = nil, skip: Int = 0, count: Int? = nil, probability: Double = 1
    ) {
        self.kind = kind
        self.routes = routes
        self.gateways = gateways
        self.fromNight = fromNight
        self.toNight = toNight
        self.skip = skip
        self.count = count
        self.probability = probability
    }

    private enum CodingKeys: String, CodingKey {
        case kind, routes, gateways, fromNight, toNight, skip, count, probability
    }

    /// Decodes a rule; everything but `kind` is optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try c.decode(FaultKind.self, forKey: .kind),
            routes: try c.decodeIfPresent([RouteKind].self, forKey: .routes),
            gateways: try c.decodeIfPresent([GatewayID].self, forKey: .gateways),
            fromNight: try c.decodeIfPresent(Int.self, forKey: .fromNight),
            toNight: try c.decodeIfPresent(Int.self, forKey: .toNight),
            skip: try c.decodeIfPresent(Int.self, forKey: .skip) ?? 0,
            count: try c.decodeIfPresent(Int.self, forKey: .count),
            probability: try c.decodeIfPresent(Double.self, forKey: .probability) ?? 1)
    }

    /// Whether a request on `route` about `gateway` during `night` is in scope (before skip/count/probability).
    func matches(route: RouteKind, gateway: GatewayID?, night: Int) -> Bool {
        if let routes, !routes.contains(route) { return false }
        if let gateways {
            guard let gateway, gateways.contains(gateway) else { return false }
        }
        if let fromNight, night < fromNight { return false }
        if let toNight, night > toNight { return false }
        return true
    }
}
