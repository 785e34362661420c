import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("authentication: tokens and AK/SK signatures")
struct AuthenticationTests {
    @Test("a correctly signed request is accepted; a wrong secret is rejected with APIGW.0301")
    func signatures() async throws {
        try await SimulatorHarness.with { harness in
            #expect(try await harness.send(.GET, harness.gatewaysPath()).status == 200)
            let wrong = SimulatorCredentials.KeyPair(accessKey: SimulatorHarness.keyPair.accessKey, secretKey: "wrong")
            let answer = try await harness.send(.GET, harness.gatewaysPath(), credential: .signed(wrong))
            #expect(answer.status == 401)
            #expect(answer.errorCode == "APIGW.0301")
            #expect(answer.errorMessage == "Incorrect IAM authentication information: verify aksk signature fail")
            #expect(answer.json?["request_id"]?.stringValue == answer.headers.first(name: "X-Request-Id"))
            let unknown = SimulatorCredentials.KeyPair(accessKey: "NOSUCHKEY", secretKey: "x")
            #expect(
                try await harness.send(.GET, harness.gatewaysPath(), credential: .signed(unknown)).errorCode
                    == "APIGW.0301")
            let missing = try await harness.send(.GET, harness.gatewaysPath(), credential: .none)
            #expect(missing.status == 401 && missing.errorCode == "APIGW.0301")
        }
    }

    @Test("X-Sdk-Date more than 15 minutes off the virtual clock is rejected", arguments: [-16 * 60, 16 * 60])
    func skew(seconds: Int) async throws {
        try await SimulatorHarness.with { harness in
            let pair = SimulatorHarness.keyPair
            let skewed = try await harness.send(
                .GET, harness.gatewaysPath(), credential: .signed(pair, skewSeconds: Int64(seconds)))
            #expect(skewed.status == 401)
            #expect(skewed.errorCode == "APIGW.0301")
            #expect(skewed.errorMessage?.contains("skew") == true)
            let within = try await harness.send(
                .GET, harness.gatewaysPath(), credential: .signed(pair, skewSeconds: Int64(seconds) * 14 / 16))
            #expect(within.status == 200)
        }
    }

    @Test("a tampered query or body breaks the signature")
    func tampering() async throws {
        try await SimulatorHarness.with { harness in
            let pair = SimulatorHarness.keyPair
            let url = try #require(URL(string: harness.running.baseURLString + harness.gatewaysPath("?limit=5")))
            let signature = pair.signer.sign(method: "GET", url: url, date: await harness.cloud.now)
            let answer = try await harness.send(
                .GET, harness.gatewaysPath("?limit=6"), credential: .none, headers: signature.headers)
            #expect(answer.status == 401 && answer.errorCode == "APIGW.0301")
        }
    }

    @Test("temporary credentials need their X-Security-Token")
    func securityToken() async throws {
        let pair = SimulatorCredentials.KeyPair(accessKey: "TEMPAK", secretKey: "tempsk", securityToken: "sts-token")
        let credentials = SimulatorCredentials(keyPairs: [pair])
        try await SimulatorHarness.with(credentials: credentials) { harness in
            #expect(try await harness.send(.GET, harness.gatewaysPath(), credential: .signed(pair)).status == 200)
            let without = SimulatorCredentials.KeyPair(accessKey: "TEMPAK", secretKey: "tempsk")
            let answer = try await harness.send(.GET, harness.gatewaysPath(), credential: .signed(without))
            #expect(answer.status == 401 && answer.errorCode == "APIGW.0301")
        }
    }

    @Test("with tokenLifetimeRequests, an IAM token authorises N requests, then VPN.0010; IAM requests are counted")
    func tokenExpiryAfterRequests() async throws {
        var credentials = SimulatorCredentials.standard
        credentials.tokenLifetimeRequests = 3
        try await SimulatorHarness.with(credentials: credentials) { harness in
            let token = try await harness.issueToken()
            for _ in 1...3 {
                #expect(try await harness.send(.GET, harness.gatewaysPath(), credential: .token(token)).status == 200)
            }
            let expired = try await harness.send(.GET, harness.gatewaysPath(), credential: .token(token))
            #expect(expired.status == 401)
            #expect(expired.errorCode == "VPN.0010")
            #expect(expired.errorMessage?.contains("after 3 requests") == true)
            let fresh = try await harness.issueToken()
            #expect(try await harness.send(.GET, harness.gatewaysPath(), credential: .token(fresh)).status == 200)
            #expect(await harness.cloud.tokenRequests == 2)
        }
    }

    @Test("IAM tokens work until they expire on the virtual clock, then VPN.0010")
    func tokenExpiry() async throws {
        try await SimulatorHarness.with { harness in
            let token = try await harness.issueToken()
            #expect(try await harness.send(.GET, harness.gatewaysPath(), credential: .token(token)).status == 200)
            await harness.cloud.advance(seconds: 86_400 - 60)
            #expect(try await harness.send(.GET, harness.gatewaysPath(), credential: .token(token)).status == 200)
            await harness.cloud.advance(seconds: 60)
            let expired = try await harness.send(.GET, harness.gatewaysPath(), credential: .token(token))
            #expect(expired.status == 401)
            #expect(expired.errorCode == "VPN.0010")
            let bogus = try await harness.send(.GET, harness.gatewaysPath(), credential: .token("MIIT-not-issued"))
            #expect(bogus.status == 401 && bogus.errorCode == "APIGW.0301")
        }
    }

    @Test("IAM: expires_at in the body, wrong password rejected with a nested error")
    func iam() async throws {
        try await SimulatorHarness.with { harness in
            let body =
                #"{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"simulator-user","password":"nope","domain":{"name":"simulator-domain"}}}},"scope":{"project":{"name":"eu-de_audit"}}}}"#
            let wrong = try await harness.send(.POST, "/v3/auth/tokens", credential: .none, body: Data(body.utf8))
            #expect(wrong.status == 401)
            #expect(wrong.json?["error"]?["message"]?.stringValue == "The username or password is wrong.")
            let good = try await harness.send(
                .POST, "/v3/auth/tokens", credential: .none,
                body: Data(body.replacingOccurrences(of: "nope", with: "simulator-password").utf8))
            #expect(good.status == 201)
            #expect(good.json?["token"]?["expires_at"]?.stringValue == "2025-03-02T02:00:00.000000Z")
        }
    }

    @Test("another project in the path is forbidden (403 VPN.0003)")
    func otherProject() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(.GET, "/v5/someoneelse/customer-gateways")
            #expect(answer.status == 403 && answer.errorCode == "VPN.0003")
        }
    }

    @Test("the verifier accepts both API.md test vectors")
    func apiVectors() async throws {
        let vectors: [(SimulatorCredentials.KeyPair, String, String?, [String: String], String)] = [
            (
                .init(accessKey: "QTWAOYTTINDUT2QVKYUC", secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"),
                "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
                [
                    "Content-Type": "application/json", "Host": "service.region.example.com",
                    "X-Sdk-Date": "20191115T033655Z",
                ],
                "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
            ),
            (
                .init(accessKey: "AccessKey", secretKey: "SecretKey"), "/path", "limit=1",
                ["X-Sdk-Date": "20060102T150405Z"],
                "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
            ),
        ]
        for (pair, path, query, headers, authorization) in vectors {
            let cloud = try SimulatedCloud(credentials: SimulatorCredentials(keyPairs: [pair], sdkDateClock: .off))
            var all = headers
            all["Authorization"] = authorization
            let request = APIRequest(
                route: .listGateways, method: "GET", path: path, query: query, headers: all, projectID: cloud.projectID)
            guard case .respond(let response, _) = await cloud.respond(to: request) else {
                Issue.record("no response")
                continue
            }
            // Authenticated: the list then answers (vector 1's marker is an unknown id, hence 400 VPN.0001).
            #expect(response.status != 401 && response.status != 403, "\(path)")
            var tampered = all
            tampered["Authorization"] = String(authorization.dropLast()) + "0"
            let bad = APIRequest(
                route: .listGateways, method: "GET", path: path, query: query, headers: tampered,
                projectID: cloud.projectID)
            guard case .respond(let rejected, _) = await cloud.respond(to: bad) else { continue }
            #expect(rejected.status == 401)
        }
    }
}

@Suite("access key lock-out")
struct KeyLockTests {
    @Test("more than 5 consecutive failures lock the access key for 5 virtual minutes")
    func lockOut() async throws {
        try await SimulatorHarness.with { harness in
            let good = SimulatorHarness.keyPair
            let wrong = SimulatorCredentials.KeyPair(accessKey: good.accessKey, secretKey: "wrong")
            for _ in 0..<6 {
                #expect(try await harness.send(.GET, harness.gatewaysPath(), credential: .signed(wrong)).status == 401)
            }
            let locked = try await harness.send(.GET, harness.gatewaysPath(), credential: .signed(good))
            #expect(locked.status == 401)
            #expect(locked.errorMessage?.contains("locked") == true)
            await harness.cloud.advance(seconds: 301)
            #expect(try await harness.send(.GET, harness.gatewaysPath(), credential: .signed(good)).status == 200)
        }
    }

    @Test("five failures followed by a success do not lock")
    func successResets() async throws {
        try await SimulatorHarness.with { harness in
            let good = SimulatorHarness.keyPair
            let wrong = SimulatorCredentials.KeyPair(accessKey: good.accessKey, secretKey: "wrong")
            for round in 0..<2 {
                for _ in 0..<5 {
                    _ = try await harness.send(.GET, harness.gatewaysPath(), credential: .signed(wrong))
                }
                #expect(
                    try await harness.send(.GET, harness.gatewaysPath(), credential: .signed(good)).status == 200,
                    "round \(round)")
            }
        }
    }
}
