import GatewayAuditCore

/// One `scope_move` row as `verify` checks it.
struct VerifiedDeparture {
    let gatewayID: String
    let run: Int64
    /// The scope of the run that took the resource over (nil: no such run).
    let runScope: ScopeKey?
    /// The scope it left.
    let left: ScopeKey
    /// The scope the resource is in now.
    let current: ScopeKey
}

/// The departures of every resource, ordered by resource, with the scope of the run each names.
let verifiedDeparturesSQL = """
    SELECT g.gateway_id, m.run, m.account AS left_account, m.cloud AS left_cloud, m.region AS left_region,
        m.project_id AS left_project_id, r.id AS run_id, r.account AS run_account, r.cloud AS run_cloud,
        r.region AS run_region, r.project_id AS run_project_id, g.account, g.cloud, g.region, g.project_id
    FROM scope_move m JOIN gateway g ON g.id = m.gateway LEFT JOIN run r ON r.id = m.run
    ORDER BY g.gateway_id, m.run
    """

extension HistoryVerifier {
    /// A departure makes a scope's head count a resource that is no longer in it, so departures are
    /// checked against the rest of the history: each names an existing run of another scope than the one
    /// left, and a resource that has departures is in a scope one of them took it to, whose own head
    /// then counts it. (A departure forged to hide a removal from one scope must put the resource in a
    /// scope whose sealed head does not count it.)
    static func departureProblems(_ departures: [VerifiedDeparture]) -> [HistoryVerification.Problem] {
        var problems: [HistoryVerification.Problem] = []
        func problem(_ gatewayID: String, _ detail: String) {
            problems.append(.init(area: .head, gatewayID: GatewayID(gatewayID), item: nil, detail: detail))
        }
        var index = departures.startIndex
        while index < departures.endIndex {
            let gatewayID = departures[index].gatewayID
            var entered = Set<ScopeKey>()
            // `GatewayID` compares the bytes, as the store tells resources apart.
            while index < departures.endIndex, GatewayID(departures[index].gatewayID) == GatewayID(gatewayID) {
                let departure = departures[index]
                if let scope = departure.runScope {
                    if scope == departure.left {
                        problem(gatewayID, "the departure from scope \(scope) names run \(departure.run) of that scope")
                    }
                    entered.insert(scope)
                } else {
                    problem(gatewayID, "a departure names run \(departure.run), which does not exist")
                }
                index += 1
            }
            let current = departures[index - 1].current
            if !entered.contains(current) {
                problem(
                    gatewayID,
                    "gateway \(gatewayID) is in scope \(current), where none of its departures took it: "
                        + "its scope or a departure was edited outside a run")
            }
        }
        return problems
    }
}
