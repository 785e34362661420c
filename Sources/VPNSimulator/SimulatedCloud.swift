import GatewayAuditCore

/// The simulated cloud: a project's customer gateways, IAM tokens, a virtual clock and injected faults.
///
/// Like the real gateway, an access key with more than 5 consecutive authentication failures is locked
/// for 5 minutes (of virtual time: advance the clock to unlock it).
///
/// All mutable state lives in this actor. The HTTP server (``SimulatorServer``) turns each request into
/// an ``APIRequest`` and sends back the ``APIOutcome`` of ``respond(to:)``; tests can also call the
/// actor directly to move the clock or configure faults while the server runs.
///
/// Time only moves when asked (``advance(to:)``, ``advance(nights:)``, ``advance(seconds:)``): night `n`'s
/// run happens at `start + n days`, and the changes scheduled for night `n` happen at `start + (n-1) days
/// + 12 h` (ten virtual minutes apart), so they sit between run `n-1` and run `n`.
public actor SimulatedCloud {
    /// The scenario this cloud plays.
    public let scenario: Scenario
    /// The credentials it accepts.
    public let credentials: SimulatorCredentials
    /// The project id served under `/v5/{project_id}/`.
    public nonisolated let projectID: String
    /// The virtual time of night 0's run.
    public nonisolated let start: Instant

    /// The current virtual time.
    public private(set) var now: Instant
    /// The last night whose events have been applied.
    public private(set) var night: Int = 0

    var gateways: [GatewayID: SimulatedGateway] = [:] { didSet { gatewayListOrder = nil } }
    var vpnGateways: [String: SimulatedVPNGateway] = [:]
    var connections: [String: SimulatedConnection] = [:] { didSet { connectionListOrder = nil } }
    /// `gateways` and `connections` in list order, sorted on the first listing after a change: every page
    /// of a listing reads the whole order (sorting a scope's 500 gateways again for each page was 6 % of the
    /// estate bench's CPU, which the simulator shares with the collector).
    var gatewayListOrder: [SimulatedGateway]?
    var connectionListOrder: [SimulatedConnection]?
    var tokens: [String: IssuedToken] = [:]
    var keyFailures: [String: KeyFailures] = [:]
    var faults: [Int: FaultState] = [:]
    var nextFaultID = 1
    var firings: [FaultFiring] = []
    /// The projects IAM's project list shows (this cloud's by default; a multi-project server sets it).
    var projectDirectory: [SimulatedProject] = []
    var idGenerator: SeededGenerator
    var requestIDGenerator: SeededGenerator
    let seed: UInt64

    /// Creates a cloud at night 0 of `scenario`.
    /// - Parameters:
    ///   - scenario: the gateways, events and faults to play (``Scenario/standard`` by default).
    ///   - credentials: accepted key pairs, users and tokens.
    ///   - seed: overrides the scenario's seed.
    /// - Throws: ``SimulatorError/invalidScenario(_:)`` when the scenario does not validate.
    public init(
        scenario: Scenario = .standard, credentials: SimulatorCredentials = .standard, seed: UInt64? = nil
    ) throws(SimulatorError) {
        try scenario.validate()
        self.scenario = scenario
        self.credentials = credentials
        self.projectID = scenario.projectID
        let start = try scenario.startInstant()
        self.start = start
        self.now = start
        let seed = seed ?? scenario.seed
        self.seed = seed
        self.idGenerator = SeededGenerator(seed: seed)
        self.requestIDGenerator = SeededGenerator(seed: seed ^ 0x5EED_0F_2E9_0E57)
        for gateway in scenario.gateways { gateways[gateway.id] = gateway }
        for gateway in scenario.vpnGateways { vpnGateways[gateway.id] = gateway }
        for connection in scenario.connections { connections[connection.id] = connection }
        for rule in scenario.faults {
            faults[nextFaultID] = FaultState(rule: rule, generator: SeededGenerator(seed: seed &+ UInt64(nextFaultID)))
            nextFaultID += 1
        }
    }

    // MARK: Clock

    /// The virtual time of night `n`'s run.
    public nonisolated func runTime(ofNight n: Int) -> Instant {
        start.adding(seconds: Int64(n) * 86_400)
    }

    /// The last night the clock can reach: a hundred years of nights (a night further would take the
    /// simulator minutes to walk to, serving nothing meanwhile).
    public static let lastNight = 36_500

    /// Moves the clock to night `target`'s run, applying every event of the nights passed.
    /// - Throws: ``SimulatorError/cannotGoBack(requested:current:)`` when `target` is before the current night;
    ///   ``SimulatorError/tooFar(requested:)`` past ``lastNight``.
    public func advance(to target: Int) throws(SimulatorError) {
        guard target >= night else { throw .cannotGoBack(requested: target, current: night) }
        guard target <= Self.lastNight else { throw .tooFar(requested: target) }
        applyNights(through: target)
        let runTime = runTime(ofNight: target)
        if now < runTime { now = runTime }
    }

    /// Moves the clock forward by whole nights (one by default).
    public func advance(nights: Int = 1) {
        let target = max(night, min(Self.lastNight, night + min(max(0, nights), Self.lastNight)))
        applyNights(through: target)
        let runTime = runTime(ofNight: target)
        if now < runTime { now = runTime }
    }

    /// Moves the clock forward by some seconds (e.g. to let a token expire), applying the events of
    /// every night whose run time is passed.
    public func advance(seconds: Int64) {
        now = now.adding(seconds: max(0, seconds))
        let reached = Int((now.seconds - start.seconds) / 86_400)
        applyNights(through: reached)
    }

    private func applyNights(through target: Int) {
        while night < target {
            night += 1
            let events = scenario.events.filter { $0.night == night }
            for (index, event) in events.enumerated() {
                let at = runTime(ofNight: night - 1).adding(seconds: 12 * 3600 + Int64(index) * 600)
                apply(event, at: at)
            }
            applyVPNEvents(ofNight: night)
        }
    }

    // MARK: Inspection

    /// A gateway that currently exists, or nil.
    public func gateway(_ id: GatewayID) -> SimulatedGateway? { gateways[id] }

    /// The gateways that currently exist, newest first (the list order).
    public var liveGateways: [SimulatedGateway] {
        if let order = gatewayListOrder { return order }
        let order = gateways.values.inListOrder()
        gatewayListOrder = order
        return order
    }

    /// Requests received by the IAM route `POST /v3/auth/tokens` so far (whatever their outcome).
    public internal(set) var tokenRequests = 0

    // MARK: Requests

    /// Answers one API request: injected fault, authentication, then the operation.
    public func respond(to request: APIRequest) -> APIOutcome {
        let requestID = requestIDGenerator.hex(32)
        var delay = 0
        var corruption: FaultKind?
        var trickle: Int?
        var omitted = 0
        if let fault = firingFault(for: request) {
            switch fault {
            case .connectionReset:
                return .resetConnection
            case .throttle(let retryAfter, let code):
                let response = APIResponse.error(
                    429, code: code, message: "Too many requests: the request rate exceeds the limit, retry later",
                    requestID: requestID, extraHeaders: [("Retry-After", String(retryAfter))])
                return .respond(response, delayMilliseconds: 0)
            case .serverError(let status, let code):
                let response = APIResponse.error(
                    status, code: code, message: "System error: the service is busy, please try again later",
                    requestID: requestID)
                return .respond(response, delayMilliseconds: 0)
            case .forbidden:
                let response = APIResponse.error(
                    403, code: "VPN.0003", message: "Not authorised: the user has no permission for \(request.route)",
                    requestID: requestID)
                return .respond(response, delayMilliseconds: 0)
            case .tooEarly:
                let response = APIResponse.error(
                    425, code: "VPN.0009", message: "The resource is being processed, retry later", requestID: requestID
                )
                return .respond(response, delayMilliseconds: 0)
            case .latency(let milliseconds):
                delay = max(0, milliseconds)
            case .truncatedBody, .malformedBody:
                corruption = fault
            case .tricklingBody(let milliseconds):
                trickle = max(1, milliseconds)
            case .omittedListItems(let count):
                omitted = max(0, count)
            }
        }
        var response = answer(request, requestID: requestID)
        if omitted > 0 { response = SimulatedCloud.omitting(omitted, from: response) }
        if let corruption, !response.body.isEmpty {
            response.body = SimulatedCloud.corrupt(response.body, with: corruption)
        }
        if let trickle { return .trickle(response, intervalMilliseconds: trickle) }
        return .respond(response, delayMilliseconds: delay)
    }

    private func answer(_ request: APIRequest, requestID: String) -> APIResponse {
        if request.route == .issueToken { return issueToken(request, requestID: requestID) }
        if request.route == .listProjects { return listProjects(request, requestID: requestID) }
        if let rejection = authenticate(request, requestID: requestID) { return rejection }
        switch request.route {
        case .listGateways: return listGateways(request, requestID: requestID)
        case .createGateway: return createGateway(request, requestID: requestID)
        case .getGateway: return getGateway(request, requestID: requestID)
        case .updateGateway: return updateGateway(request, requestID: requestID)
        case .deleteGateway: return deleteGateway(request, requestID: requestID)
        case .createTags: return changeTags(request, adding: true, requestID: requestID)
        case .deleteTags: return changeTags(request, adding: false, requestID: requestID)
        case .issueToken: return issueToken(request, requestID: requestID)
        case .listVPNGateways: return listVPNGateways(request, requestID: requestID)
        case .getVPNGateway: return getVPNGateway(request, requestID: requestID)
        case .listConnections: return listConnections(request, requestID: requestID)
        case .getConnection: return getConnection(request, requestID: requestID)
        case .listProjects: return listProjects(request, requestID: requestID)
        }
    }

    static func corrupt(_ body: [UInt8], with kind: FaultKind) -> [UInt8] {
        if case .truncatedBody = kind { return Array(body.prefix(max(1, body.count / 2))) }
        // The closing brace becomes a bracket: starts like the real answer, cannot be parsed.
        guard let last = body.lastIndex(of: UInt8(ascii: "}")) else { return body + Array("]".utf8) }
        var copy = body
        copy[last] = UInt8(ascii: "]")
        return copy
    }
}
