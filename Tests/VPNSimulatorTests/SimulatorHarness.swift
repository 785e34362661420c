import AsyncHTTPClient
import Foundation
import GatewayAudit
import NIOCore
import NIOHTTP1
import Testing
import VPNSimulator

/// One HTTP answer as a test sees it.
struct HTTPAnswer: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: Data

    var json: JSONValue? { try? JSONValue(data: body) }
    var errorCode: String? { json?["error_code"]?.stringValue }
    var errorMessage: String? { json?["error_msg"]?.stringValue }
}

/// How a test request authenticates.
enum Credential: Sendable {
    case none
    case token(String)
    /// Signed with the pair, at the cloud's virtual time shifted by `skewSeconds`.
    case signed(SimulatorCredentials.KeyPair, skewSeconds: Int64 = 0)
}

/// A simulator started on port 0 for one test, reached with plain AsyncHTTPClient requests.
struct SimulatorHarness: Sendable {
    let running: RunningSimulator
    var cloud: SimulatedCloud { running.cloud }
    var project: String { running.cloud.projectID }

    static let keyPair = SimulatorCredentials.standard.keyPairs[0]

    /// Starts a simulator, runs `body`, and stops it whatever happens.
    static func with(
        scenario: Scenario = .standard, credentials: SimulatorCredentials = .standard, latency: Duration = .zero,
        _ body: (SimulatorHarness) async throws -> Void
    ) async throws {
        let cloud = try SimulatedCloud(scenario: scenario, credentials: credentials)
        let running = try await SimulatorServer(cloud: cloud, latency: latency).start()
        let harness = SimulatorHarness(running: running)
        do {
            try await body(harness)
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }

    /// Sends one request; `path` may include a query. The timeout catches a server that never answers; it is
    /// long because `swift test` runs suites in parallel on two shared cores, where a 10 s limit once failed
    /// five requests that were only waiting for a core.
    func send(
        _ method: HTTPMethod = .GET, _ path: String, credential: Credential = .signed(keyPair),
        headers extra: [String: String] = [:], body: Data = Data(), timeout: TimeAmount = .seconds(60)
    ) async throws -> HTTPAnswer {
        let urlString = running.baseURLString + path
        var request = HTTPClientRequest(url: urlString)
        request.method = method
        var headers = extra
        if !body.isEmpty { headers["Content-Type"] = "application/json" }
        switch credential {
        case .none:
            break
        case .token(let token):
            headers["X-Auth-Token"] = token
        case .signed(let pair, let skew):
            let url = try #require(URL(string: urlString))
            let date = await cloud.now.adding(seconds: skew)
            let signature = pair.signer.sign(
                method: method.rawValue, url: url, headers: headers, body: body, date: date)
            headers.merge(signature.headers) { _, new in new }
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 22)
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
    }

    /// `/v5/{project}/customer-gateways` plus `suffix`.
    func gatewaysPath(_ suffix: String = "") -> String { "/v5/\(project)/customer-gateways" + suffix }

    /// GET one gateway, signed.
    func gateway(_ id: GatewayID) async throws -> HTTPAnswer {
        try await send(.GET, gatewaysPath("/\(id.rawValue)"))
    }

    /// A token from the simulated IAM.
    func issueToken() async throws -> String {
        let user = SimulatorCredentials.standard.users[0]
        let body: JSONValue = .object([
            "auth": .object([
                "identity": .object([
                    "methods": .array([.string("password")]),
                    "password": .object([
                        "user": .object([
                            "name": .string(user.name), "password": .string(user.password),
                            "domain": .object(["name": .string(user.domain)]),
                        ])
                    ]),
                ]),
                "scope": .object(["project": .object(["id": .string(project)])]),
            ])
        ])
        let answer = try await send(.POST, "/v3/auth/tokens", credential: .none, body: Data(body.canonicalJSON.utf8))
        #expect(answer.status == 201)
        return try #require(answer.headers.first(name: "X-Subject-Token"))
    }
}
