import Foundation
import GatewayAudit
import GatewayAuditOperations
import Testing

/// Webhook URLs and deliveries: redaction, the https rule, retries inside the time budget.
@Suite("webhooks: URL rule, redaction, retries and budget")
struct WebhookTests {
    @Test("only https, or plain http to loopback; secrets never shown")
    func urlRule() throws {
        let hook = try WebhookURL("https://hooks.slack.com/services/T000/B000/SECRETxyz?token=abc", option: "--notify")
        #expect(hook.redacted == "https://hooks.slack.com/…")
        #expect("\(hook)" == "https://hooks.slack.com/…")
        #expect(try WebhookURL("http://127.0.0.1:8080/x", option: "--notify").redacted == "http://127.0.0.1:8080/…")
        #expect(throws: OperationsError.self) { try WebhookURL("http://hooks.example.com/SECRET", option: "--notify") }
        #expect(throws: OperationsError.self) {
            try WebhookURL("https://user:pw@hooks.example.com/", option: "--notify")
        }
        #expect(throws: OperationsError.self) { try WebhookURL("not a url", option: "--heartbeat") }
        do {
            _ = try WebhookURL("ftp://hooks.example.com/SECRET", option: "--heartbeat")
            Issue.record("ftp accepted")
        } catch {
            #expect(!error.description.contains("SECRET"))
            #expect(error.description.hasPrefix("--heartbeat ftp://hooks.example.com/…: only https://"))
        }
    }

    @Test("heartbeat suffixes go on the path and keep the query")
    func appending() throws {
        let ping = try WebhookURL("https://hc-ping.com/0f3c?x=1", option: "--heartbeat")
        #expect(ping.appending("start").url.absoluteString == "https://hc-ping.com/0f3c/start?x=1")
        #expect(ping.appending("fail").url.absoluteString == "https://hc-ping.com/0f3c/fail?x=1")
    }

    @Test("status pushes set their parameters, encoded, and keep the others exactly as written")
    func settingQuery() throws {
        let kuma = try WebhookURL(
            "https://kuma.example.com/api/push/T0K?status=up&msg=All+good&ping=", option: "--heartbeat")
        let set = kuma.setting([("status", "down"), ("msg", "run 4 failed: a+b & c=d #1 ü")])
        #expect(
            set.url.absoluteString
                == "https://kuma.example.com/api/push/T0K?ping=&status=down&msg=run%204%20failed:%20a%2Bb%20%26%20c%3Dd%20%231%20%C3%BC"
        )
        let plain = try WebhookURL("https://kuma.example.com/api/push/T0K", option: "--heartbeat")
        #expect(
            plain.setting([("status", "up")]).url.absoluteString == "https://kuma.example.com/api/push/T0K?status=up")
    }

    @Test("500, 500, 500, then 200: delivered on the fourth attempt")
    func retries() async throws {
        let answers = Answers([500, 500, 500, 200])
        let transport = ClosureTransport { _ throws(TransportError) in
            ClientResponse(status: .init(code: await answers.next()))
        }
        // The budget is not what this test is about: 30 s, so a suite starved of threads (2 cores, every
        // suite at once) cannot make it give up before the fourth attempt.
        let sender = WebhookSender(
            transport: transport, policy: DeliveryPolicy(baseDelay: 0.01, maxDelay: 0.02, timeout: 30))
        let outcome = await sender.post(
            Data("{}".utf8), contentType: "application/json",
            to: try WebhookURL("https://h.example/x", option: "--notify"))
        #expect(outcome == .delivered(attempts: 4))
        #expect(await answers.count == 4)
    }

    @Test("a 404 is final; a hung receiver is abandoned when the budget ends")
    func finalAndBudget() async throws {
        let url = try WebhookURL("https://h.example/x", option: "--notify")
        let gone = WebhookSender(
            transport: ClosureTransport { _ throws(TransportError) in ClientResponse(status: .notFound) },
            policy: DeliveryPolicy())
        #expect(
            await gone.post(Data(), contentType: "text/plain", to: url) == .refused(attempts: 1, reason: "HTTP 404"))

        let hung = ClosureTransport { _ throws(TransportError) in
            do { try await Task.sleep(for: .seconds(60)) } catch { throw .cancelled }
            throw .timeout
        }
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await withTaskGroup(of: WebhookSender.Outcome?.self) { group in
            group.addTask {
                await WebhookSender(transport: TimeoutTransport(inner: hung), policy: DeliveryPolicy(timeout: 0.5))
                    .post(Data(), contentType: "text/plain", to: url)
            }
            return await group.next() ?? nil
        }
        // The budget is 0.5 s; the bound only catches a sender that waits for the hung receiver (60 s),
        // with room for a loaded machine.
        #expect(started.duration(to: clock.now) < .seconds(20))
        guard case .failed(_, let reason)? = outcome else { Issue.record("delivered?"); return }
        #expect(reason.contains("gave up after 0.5 s"))
    }
}

/// Scripted statuses, then 200.
actor Answers {
    private var script: [Int]
    private(set) var count = 0
    init(_ script: [Int]) { self.script = script }
    func next() -> Int {
        count += 1
        return script.isEmpty ? 200 : script.removeFirst()
    }
}

/// Honours the per-request timeout the sender passes, as the production transport's deadline does.
struct TimeoutTransport: Transport {
    let inner: ClosureTransport
    func send(_ request: ClientRequest, timeout: Duration) async throws(TransportError) -> ClientResponse {
        let result: Result<ClientResponse, TransportError>? = await withTaskGroup(
            of: Result<ClientResponse, TransportError>?.self
        ) { group in
            group.addTask {
                do throws(TransportError) {
                    return .success(try await inner.send(request, timeout: timeout))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                } catch {
                    return nil  // the request answered first
                }
                return .failure(.timeout)
            }
            let first: Result<ClientResponse, TransportError>?? = await group.next()
            group.cancelAll()
            return first ?? nil
        }
        switch result {
        case .success(let response)?: return response
        case .failure(let error)?: throw error
        case nil: throw .timeout
        }
    }
}
