import GatewayAuditCore

extension SimulatedCloud {
    /// Adds a fault rule at runtime and returns its id (for ``firings(of:)``).
    @discardableResult
    public func addFault(_ rule: FaultRule) -> Int {
        let id = nextFaultID
        nextFaultID += 1
        faults[id] = FaultState(rule: rule, generator: SeededGenerator(seed: seed &+ UInt64(id)))
        return id
    }

    /// Removes every fault rule (the firing log is kept).
    public func removeAllFaults() {
        faults.removeAll()
    }

    /// Every fault that fired so far, in order.
    public var faultFirings: [FaultFiring] { firings }

    /// The firings of one rule.
    public func firings(of ruleID: Int) -> [FaultFiring] {
        firings.filter { $0.ruleID == ruleID }
    }

    /// The fault to inject for this request, if a rule fires; rules are tried in the order they were added.
    func firingFault(for request: APIRequest) -> FaultKind? {
        for id in faults.keys.sorted() {
            guard var state = faults[id],
                state.rule.matches(route: request.route, gateway: request.gatewayID, night: night)
            else { continue }
            state.matched += 1
            var fires = state.matched > state.rule.skip && (state.rule.count.map { state.fired < $0 } ?? true)
            if fires && state.rule.probability < 1 {
                let draw = Double(state.generator.next() >> 11) / Double(1 << 53)
                fires = draw < state.rule.probability
            }
            if fires {
                state.fired += 1
                firings.append(
                    FaultFiring(
                        ruleID: id, kind: state.rule.kind, route: request.route, gateway: request.gatewayID,
                        night: night))
            }
            faults[id] = state
            if fires { return state.rule.kind }
        }
        return nil
    }
}
