import Foundation
import HTTPTypes
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("Client parts: error bodies, retry policy, endpoint safety, redaction")
struct ClientPartsTests {
    @Test(
        "all three error body shapes and a nested one",
        arguments: [
            (
                #"{"error_code":"VPN.0001","error_msg":"invalid request: limit","request_id":"r1"}"#, "VPN.0001",
                "invalid request: limit", "r1"
            ),
            (#"{"code":"VPN.0001","message":"invalid request: marker"}"#, "VPN.0001", "invalid request: marker", nil),
            (
                #"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"r3"}"#,
                "APIGW.0301", "Incorrect IAM authentication information", "r3"
            ),
            (
                #"{"error":{"code":"1101","message":"The password is incorrect"}}"#, "1101",
                "The password is incorrect", nil
            ),
        ] as [(String, String, String, String?)])
    func errorBodies(body: String, code: String, message: String, requestID: String?) {
        let parsed = ErrorBody(data: Data(body.utf8))
        #expect(parsed.code == code)
        #expect(parsed.message == message)
        #expect(parsed.requestID == requestID)
    }

    @Test("an IAM project list without its projects array is an invalid answer, never a region without projects")
    func iamListWithoutProjects() async throws {
        func lister(_ body: String) throws -> IAMProjectList {
            let transport = ClosureTransport { _ throws(TransportError) in
                ClientResponse(status: 200, body: Data(body.utf8))
            }
            return try IAMProjectList(
                iamURL: try #require(URL(string: "https://iam.example.com/v3")), credentials: .token("t"),
                transport: transport)
        }
        for body in [#"{}"#, #"{"projects": null}"#, #"{"projects": {"id": "p"}}"#] {
            do {
                let projects = try await lister(body).projects(region: "eu-de")
                Issue.record("\(body) listed \(projects)")
            } catch {
                #expect("\(error)".contains(#"IAM project list: no "projects" array in the answer"#), "\(error)")
            }
        }
        #expect(try await lister(#"{"projects": []}"#).projects(region: "eu-de").isEmpty)
    }

    @Test("a non-JSON error body keeps its first characters as the message")
    func htmlBody() {
        let parsed = ErrorBody(data: Data("<html>502 Bad Gateway</html>".utf8))
        #expect(parsed.code == nil && parsed.message == "<html>502 Bad Gateway</html>")
    }

    @Test("retryable statuses: 429, 425, 5xx and VPN.0030; never 400, 401, 403, 404")
    func retryable() {
        #expect(RetryPolicy.isRetryable(status: 429, code: "VPN.0429"))
        #expect(RetryPolicy.isRetryable(status: 425, code: "VPN.0009"))
        #expect(RetryPolicy.isRetryable(status: 503, code: nil))
        #expect(RetryPolicy.isRetryable(status: 400, code: "VPN.0030"))
        #expect(!RetryPolicy.isRetryable(status: 400, code: "VPN.0001"))
        #expect(!RetryPolicy.isRetryable(status: 401, code: "APIGW.0301"))
        #expect(!RetryPolicy.isRetryable(status: 403, code: "VPN.0003"))
        #expect(!RetryPolicy.isRetryable(status: 404, code: "VPN.0004"))
    }

    @Test("Retry-After in seconds or as an HTTP date; backoff stays within its cap")
    func delays() {
        var random = SystemRandomNumberGenerator()
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(500), maxDelay: .seconds(8))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "2", random: &random) == .seconds(2))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "120", random: &random) == .seconds(8))
        let now = Date(timeIntervalSince1970: 1_445_412_480)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:03 GMT", now: now) == .seconds(3))
        #expect(RetryPolicy.parseRetryAfter("inf") == nil && RetryPolicy.parseRetryAfter("soon") == nil)
        for attempt in 1...100 {
            let d = policy.delay(afterAttempt: attempt, retryAfter: nil, random: &random)
            #expect(d >= .zero && d <= min(.seconds(8), .milliseconds(500) * (1 << min(attempt - 1, 32))))
        }
    }

    @Test("only https, except plain http to loopback")
    func endpoints() throws {
        let transport = ClosureTransport { _ throws(TransportError) in ClientResponse(status: 200) }
        for allowed in ["https://vpn.eu-de.otc.t-systems.com", "http://127.0.0.1:8080", "http://localhost:1"] {
            _ = try VPNClient(
                endpoint: try #require(URL(string: allowed)), projectID: "p", credentials: .token("t"),
                transport: transport)
        }
        #expect(
            throws: ClientError.insecureEndpoint(
                "refusing endpoint http://vpn.example.com: only https is allowed (plain http only to 127.0.0.1/localhost, e.g. the simulator)"
            )
        ) {
            _ = try VPNClient(
                endpoint: try #require(URL(string: "http://vpn.example.com")), projectID: "p", credentials: .token("t"),
                transport: transport)
        }
        // A password in the URL would be recorded with every run and shown in every manifest: refused, unshown.
        for withUser in ["http://admin:hunter2@127.0.0.1:1", "https://admin@vpn.example.com"] {
            do {
                _ = try VPNClient(
                    endpoint: try #require(URL(string: withUser)), projectID: "p", credentials: .token("t"),
                    transport: transport)
                Issue.record("\(withUser) was accepted")
            } catch {
                #expect(
                    error as? ClientError
                        == .insecureEndpoint(
                            "refusing endpoint with a user name or password in it (user@host): the API signs requests "
                                + "with the keys, token or IAM password from the environment; remove it from the URL"))
            }
        }
    }

    @Test("credentials never show their secrets")
    func redaction() throws {
        let signer = AKSKSigner(accessKey: "AKVISIBLE", secretKey: "SK-SECRET-123", securityToken: "SEC-TOKEN-456")
        let identity = PasswordIdentity(
            userName: "ops", password: "PW-789", domainName: "acme",
            authURL: try #require(URL(string: "https://iam.eu-de.otc.t-systems.com/v3")))
        let texts = [Credentials.token("TOKEN-000"), .accessKey(signer), .password(identity)].map {
            "\($0) \(String(reflecting: $0))"
        }
        for secret in ["SK-SECRET-123", "SEC-TOKEN-456", "PW-789", "TOKEN-000"] {
            #expect(!texts.joined().contains(secret))
        }
        #expect(identity.tokenURL.absoluteString == "https://iam.eu-de.otc.t-systems.com/v3/auth/tokens")
    }

    @Test("total_count: a resource created mid-listing (counted by later pages only) is no gap; a lost one is")
    func totalCountDuringListing() async throws {
        func client(_ pages: [String]) throws -> VPNClient {
            let transport = ClosureTransport { request throws(TransportError) in
                let index = (request.url.query ?? "").contains("marker=m1") ? 1 : 0
                return ClientResponse(status: 200, body: Data(pages[index].utf8))
            }
            return try VPNClient(
                endpoint: try #require(URL(string: "https://vpn.example.com")), projectID: "p",
                credentials: .token("t"), transport: transport)
        }
        // "n" was created after the first page: it sorts first, so it is never listed, but page 2 counts it.
        let created = try client([
            #"{"customer_gateways":[{"id":"a"},{"id":"b"}],"total_count":3,"page_info":{"next_marker":"m1"}}"#,
            #"{"customer_gateways":[{"id":"c"}],"total_count":4,"page_info":{"current_count":1}}"#,
        ])
        let complete = try await created.listGateways(pageSize: 2)
        #expect(complete.gateways.map(\.id) == ["a", "b", "c"])
        #expect(complete.isComplete)
        // Every page counts 4 but only 3 came: one was lost (a lagging replica).
        let lost = try client([
            #"{"customer_gateways":[{"id":"a"},{"id":"b"}],"total_count":4,"page_info":{"next_marker":"m1"}}"#,
            #"{"customer_gateways":[{"id":"c"}],"total_count":4,"page_info":{"current_count":1}}"#,
        ])
        let short = try await lost.listGateways(pageSize: 2)
        #expect(!short.isComplete)
        #expect(
            short.incompleteReason
                == "listing incomplete: the list gave 3 of the 4 gateways its pages count (total_count)")
    }

    @Test("paging stops on a short page and de-duplicates repeated items")
    func pagingRules() async throws {
        let pages = [
            #"{"customer_gateways":[{"id":"a"},{"id":"b"}],"page_info":{"next_marker":"m1","current_count":2}}"#,
            #"{"customer_gateways":[{"id":"b"},{"id":"c"}],"page_info":{"next_marker":"m2","current_count":2}}"#,
            #"{"customer_gateways":[{"id":"d"}],"page_info":{"next_marker":"m3","current_count":1}}"#,
        ]
        let transport = ClosureTransport { request throws(TransportError) in
            let query = request.url.query ?? ""
            let index = query.contains("marker=m2") ? 2 : query.contains("marker=m1") ? 1 : 0
            return ClientResponse(status: 200, body: Data(pages[index].utf8))
        }
        let client = try VPNClient(
            endpoint: try #require(URL(string: "https://vpn.example.com")), projectID: "p", credentials: .token("t"),
            transport: transport)
        let listing = try await client.listGateways(pageSize: 2)
        #expect(listing.gateways.map(\.id) == ["a", "b", "c", "d"])
        #expect(listing.isComplete && listing.pages == 3)
    }

    @Test("a connection reset is retried; a VPN 404 is gone, not an error; a 403 is never retried")
    func transportFaults() async throws {
        let calls = Calls()
        let transport = ClosureTransport { request throws(TransportError) in
            let n = await calls.next()
            if request.url.path.hasSuffix("/x") {
                if n == 1 { throw .connection("reset by peer") }
                return ClientResponse(status: 200, body: Data(#"{"customer_gateway":{"id":"x"}}"#.utf8))
            }
            if request.url.path.hasSuffix("/gone") {
                return ClientResponse(status: 404, body: Data(#"{"error_code":"VPN.0004"}"#.utf8))
            }
            if request.url.path.hasSuffix("/route") {
                return ClientResponse(
                    status: 404, body: Data(#"{"error_code":"APIGW.0101","error_msg":"no such API"}"#.utf8))
            }
            if request.url.path.hasSuffix("/bare") { return ClientResponse(status: 404) }
            return ClientResponse(
                status: 403, headerFields: [HTTPField.Name("X-Request-Id")!: "rq"],
                body: Data(#"{"error_code":"VPN.0003","error_msg":"forbidden"}"#.utf8))
        }
        let client = try VPNClient(
            endpoint: try #require(URL(string: "https://vpn.example.com")), projectID: "p", credentials: .token("t"),
            transport: transport, retry: RetryPolicy(baseDelay: .milliseconds(10), maxDelay: .milliseconds(10)))
        #expect(try await client.gateway("x") != .gone)
        #expect(try await client.gateway("gone") == .gone)
        // The gateway layer's 404 (a wrong path) and a code-less 404 say nothing about the resource.
        await #expect(
            throws: ClientError.http(status: 404, code: "APIGW.0101", message: "no such API", requestID: nil)
        ) { try await client.gateway("route") }
        await #expect(throws: ClientError.http(status: 404, code: nil, message: nil, requestID: nil)) {
            try await client.gateway("bare")
        }
        await calls.reset()
        await #expect(
            throws: ClientError.authentication(
                status: 403, code: "VPN.0003", message: "forbidden", requestID: "rq",
                variables: "HW_AUTH_TOKEN (it may have expired; tokens last 24 h)")
        ) {
            _ = try await client.gateway("forbidden")
        }
        #expect(await calls.count == 1)
    }
}

actor Calls {
    private(set) var count = 0
    func next() -> Int {
        count += 1
        return count
    }
    func reset() { count = 0 }
}
