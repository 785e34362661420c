import Foundation
import HTTPTypes
import Synchronization
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// The IAM token call goes through the same pipeline as VPN calls: cancellation, deadline, injected clock.
@Suite("one request pipeline for VPN and IAM calls")
struct RequestPipelineTests {
    static let endpoint = URL(string: "https://vpn.example.com")
    static func passwordClient(
        _ transport: ClosureTransport, clock: any Clock<Duration>, deadline: Duration? = nil,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(10), maxDelay: .seconds(60))
    ) throws -> VPNClient {
        let identity = PasswordIdentity(
            userName: "ops", password: "PW-789", domainName: "acme",
            authURL: try #require(URL(string: "https://iam.example.com/v3")))
        return try VPNClient(
            endpoint: try #require(endpoint), projectID: "p", credentials: .password(identity), transport: transport,
            retry: retry, deadline: deadline, clock: clock)
    }

    static let gatewayBody = Data(#"{"customer_gateway":{"id":"x"}}"#.utf8)

    static func isIAM(_ request: ClientRequest) -> Bool { request.url.path.hasSuffix("/v3/auth/tokens") }

    static func busy(retryAfter: String) -> ClientResponse {
        ClientResponse(
            status: 503, headerFields: [.retryAfter: retryAfter],
            body: Data(#"{"error_code":"IAM.0001","error_msg":"busy"}"#.utf8))
    }

    @Test("a cancelled IAM token fetch stops promptly, sends nothing more and reports cancellation")
    func cancelledIAMFetch() async throws {
        let iamCalls = Mutex(0)
        let (firstCall, signal) = AsyncStream<Void>.makeStream()
        let transport = ClosureTransport { request throws(TransportError) in
            guard Self.isIAM(request) else { return ClientResponse(status: 200, body: Self.gatewayBody) }
            iamCalls.withLock { $0 += 1 }
            signal.yield()
            return Self.busy(retryAfter: "60")
        }
        let client = try Self.passwordClient(transport, clock: ContinuousClock())
        let task = Task { try await client.gateway("x") }
        for await _ in firstCall { break }
        // Measured from the cancellation (not from the start, which a loaded machine can delay).
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.result
        // The bound is half the 60 s wait: far enough from it to prove the wait ended at cancellation,
        // and far enough from zero that a suite saturating both cores' cooperative threads (CI ran
        // this at 10.1 s once) cannot fail it.
        #expect(cancelled.duration(to: .now) < .seconds(30), "the 60 s Retry-After wait must end at cancellation")
        #expect(throws: ClientError.cancelled) { try result.get() }
        #expect(iamCalls.withLock { $0 } == 1)
    }

    @Test("IAM retries honour the deadline and wait on the injected clock")
    func iamDeadline() async throws {
        let iamCalls = Mutex(0)
        let transport = ClosureTransport { request throws(TransportError) in
            guard Self.isIAM(request) else { return ClientResponse(status: 200, body: Self.gatewayBody) }
            iamCalls.withLock { $0 += 1 }
            return Self.busy(retryAfter: "2")
        }
        let clock = RecordingClock()
        let client = try Self.passwordClient(transport, clock: clock, deadline: .seconds(3))
        await #expect(throws: ClientError.deadlineExceeded) { _ = try await client.gateway("x") }
        #expect(iamCalls.withLock { $0 } == 2)
        #expect(clock.sleeps == [.seconds(2)], "the second 2 s wait would pass the 3 s deadline")
    }

    @Test("IAM honours Retry-After like any call, then the token is sent")
    func iamRetryAfter() async throws {
        let iamCalls = Mutex(0)
        let sentTokens = Mutex<[String]>([])
        let transport = ClosureTransport { request throws(TransportError) in
            if Self.isIAM(request) {
                let n = iamCalls.withLock { count in
                    count += 1
                    return count
                }
                if n == 1 { return Self.busy(retryAfter: "7") }
                var fields = HTTPFields()
                if let name = HTTPField.Name("X-Subject-Token") { fields[name] = "TOKEN-1" }
                return ClientResponse(status: 201, headerFields: fields, body: Data(#"{"token":{}}"#.utf8))
            }
            sentTokens.withLock { $0.append(request.headerFields.value(named: "X-Auth-Token") ?? "-") }
            return ClientResponse(status: 200, body: Self.gatewayBody)
        }
        let clock = RecordingClock()
        let client = try Self.passwordClient(transport, clock: clock)
        #expect(try await client.gateway("x") != .gone)
        #expect(clock.sleeps == [.seconds(7)])
        #expect(sentTokens.withLock { $0 } == ["TOKEN-1"])
    }

    @Test("8 requests rejected with the same expired token cause one IAM request, and all of them succeed")
    func singleFlightRenewal() async throws {
        // The server accepts only the newest token it issued; IAM answers slowly, so rejections pile up.
        let state = SharedState()
        let transport = Self.issuingTransport(state, iamDelay: .milliseconds(50))
        let client = try Self.passwordClient(transport, clock: RecordingClock())
        #expect(try await client.gateway("x") != .gone)
        state.value.withLock { $0.valid = "expired" }
        try await withThrowingTaskGroup(of: GatewayFetch.self) { group in
            for _ in 0..<8 { group.addTask { try await client.gateway("x") } }
            for try await fetched in group { #expect(fetched != .gone) }
        }
        #expect(state.value.withLock { $0.issued } == 2)
    }

    final class SharedState: Sendable {
        let value = Mutex((issued: 0, valid: ""))
    }

    /// IAM issues T1, T2, … (after `iamDelay`); the VPN service accepts only `state.valid`. Each token IAM
    /// issues becomes the valid one.
    static func issuingTransport(
        _ state: SharedState, iamDelay: Duration = .zero,
        beforeAnswer: @escaping @Sendable (ClientRequest) async -> Void = { _ in }
    ) -> ClosureTransport {
        ClosureTransport { request throws(TransportError) in
            if Self.isIAM(request) {
                if iamDelay > .zero { try? await Task.sleep(for: iamDelay) }
                let token = state.value.withLock { state in
                    state.issued += 1
                    state.valid = "T\(state.issued)"
                    return state.valid
                }
                var fields = HTTPFields()
                if let name = HTTPField.Name("X-Subject-Token") { fields[name] = token }
                return ClientResponse(status: 201, headerFields: fields, body: Data(#"{"token":{}}"#.utf8))
            }
            await beforeAnswer(request)
            guard request.headerFields.value(named: "X-Auth-Token") == state.value.withLock({ $0.valid }) else {
                return ClientResponse(status: 401, body: Data(#"{"error_code":"VPN.0010","error_msg":"expired"}"#.utf8))
            }
            return ClientResponse(status: 200, body: Self.gatewayBody)
        }
    }

    @Test(
        "a request rejected with an old token, then with the cached new one that expired meanwhile, renews again and succeeds"
    )
    func cachedTokenExpiredMeanwhile() async throws {
        let state = SharedState()
        let (gate, open) = AsyncStream<Void>.makeStream()
        let (held, holding) = AsyncStream<Void>.makeStream()
        let slowAttempts = Mutex(0)
        let transport = Self.issuingTransport(state) { request in
            guard request.url.lastPathComponent == "slow" else { return }
            let attempt = slowAttempts.withLock { count in
                count += 1
                return count
            }
            guard attempt == 1 else { return }
            holding.yield()
            for await _ in gate { break }
        }
        let client = try Self.passwordClient(transport, clock: RecordingClock())
        #expect(try await client.gateway("first") != GatewayFetch.gone)  // T1 issued and cached
        state.value.withLock { $0.valid = "none" }  // T1 expires
        let slow = Task { try await client.gateway("slow") }  // sent with T1, its answer held back
        for await _ in held { break }
        #expect(try await client.gateway("fast") != GatewayFetch.gone)  // rejected with T1, renews: T2
        state.value.withLock { $0.valid = "none" }  // T2 expires while the slow request waits
        open.yield()
        // The slow request: T1 rejected, the cached T2 rejected, a third token, accepted.
        #expect(try await slow.value != GatewayFetch.gone)
        #expect(state.value.withLock { $0.issued } == 3)
        #expect(slowAttempts.withLock { $0 } == 3)
    }

    @Test("a token rejected as soon as IAM issued it is final: one renewal, then the authentication error")
    func freshTokenRejected() async throws {
        let state = SharedState()
        let transport = Self.issuingTransport(state) { _ in state.value.withLock { $0.valid = "none" } }
        let client = try Self.passwordClient(transport, clock: RecordingClock())
        let result: Result<GatewayFetch, ClientError>
        do throws(ClientError) {
            result = .success(try await client.gateway("x"))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success: Issue.record("a rejected token must fail the request")
        case .failure(let error):
            guard case .authentication(let status, let code, _, _, _) = error else {
                Issue.record("expected an authentication error, got \(error)")
                return
            }
            #expect(status == 401 && code == "VPN.0010")
        }
        #expect(state.value.withLock { $0.issued } == 2)
    }
}
