import Foundation
import GatewayAudit
import Testing

@testable import VPNSimulator

/// Every secret a user hands the tool, searched for in everything the tool writes or prints.
@Suite("secrets never leak: stdout, stderr, the database and every report", .serialized)
struct SecretLeakTests {
    static let secretKey = "sk-LEAKCHECK-7c1e0b5a93d2"
    static let securityToken = "st-LEAKCHECK-4f8a2d61c0e9"
    static let token = "tok-LEAKCHECK-b27e95d3a10f"
    static let password = "pw-LEAKCHECK-e03c7a9f518b"
    static let wrongSecretKey = "sk-LEAKCHECK-wrong-91d2c"
    static let wrongToken = "tok-LEAKCHECK-wrong-5ae1"
    static let wrongPassword = "pw-LEAKCHECK-wrong-77f0"
    static let accessKey = "LEAKCHECKACCESSKEY01"
    static let webhookPathToken = "wh-LEAKCHECK-path-0c93e1"
    static let webhookQueryToken = "wh-LEAKCHECK-query-6f2ab4"
    static let heartbeatToken = "hb-LEAKCHECK-8d0f3c27a1"

    @Test("collect with token, AK/SK and IAM password through 5xx, 401, throttling and malformed bodies at trace level")
    func noSecretAnywhere() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ga-secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let credentials = SimulatorCredentials(
            keyPairs: [.init(accessKey: Self.accessKey, secretKey: Self.secretKey, securityToken: Self.securityToken)],
            users: [.init(domain: "audit-domain", name: "audit-user", password: Self.password)],
            fixedTokens: [Self.token], sdkDateClock: .wall)
        let cloud = try SimulatedCloud(scenario: .standard, credentials: credentials)
        let running = try await SimulatorServer(cloud: cloud).start()
        defer { Task { await running.stop() } }
        let base = running.baseURLString
        let db = directory.appendingPathComponent("history.sqlite").path
        let project = cloud.projectID
        // Webhooks that answer 500 now and then, so retries and delivery failures are logged too.
        let receiver = try await WebhookReceiver.start(script: [500, 200, 503, 503, 503, 503, 503])
        defer { Task { await receiver.stop() } }
        let operations = [
            "--notify", "\(receiver.baseURL)/hooks/\(Self.webhookPathToken)?token=\(Self.webhookQueryToken)",
            "--heartbeat", "\(receiver.baseURL)/ping/\(Self.heartbeatToken)", "--notify-timeout", "3",
            "--metrics-file", directory.appendingPathComponent("gateway-audit.prom").path,
        ]

        let g = (1...13).map { Scenario.standardGatewayID($0) }
        let rules = [
            FaultRule(.serverError(status: 503, code: "VPN.0014"), routes: [.getGateway], count: 3),
            FaultRule(.serverError(status: 500, code: "VPN.0002"), routes: [.getGateway], gateways: [g[2]]),
            FaultRule(.malformedBody, routes: [.getGateway], gateways: [g[3]]),
            FaultRule(.truncatedBody, routes: [.getGateway], gateways: [g[4]], count: 2),
            FaultRule(.throttle(retryAfterSeconds: 1, code: "VPN.0429"), routes: [.getGateway], skip: 4, count: 1),
            FaultRule(.truncatedBody, routes: [.listGateways], count: 1),
            FaultRule(.serverError(status: 503, code: "IAM.0001"), routes: [.issueToken], count: 1),
            FaultRule(.connectionReset, routes: [.getGateway], gateways: [g[5]], count: 1),
        ]
        for rule in rules { _ = await cloud.addFault(rule) }

        let aksk = [
            "HW_ACCESS_KEY": Self.accessKey, "HW_SECRET_KEY": Self.secretKey, "HW_SECURITY_TOKEN": Self.securityToken,
        ]
        let token = ["HW_AUTH_TOKEN": Self.token]
        let password = [
            "HW_USER_NAME": "audit-user", "HW_PASSWORD": Self.password, "HW_DOMAIN_NAME": "audit-domain",
            "HW_AUTH_URL": base + "/v3",
        ]
        var wrongAKSK = aksk
        wrongAKSK["HW_SECRET_KEY"] = Self.wrongSecretKey
        var wrongPassword = password
        wrongPassword["HW_PASSWORD"] = Self.wrongPassword
        let ids = g.prefix(7).flatMap { ["--id", $0.rawValue] }
        let plans: [(name: String, environment: [String: String], extra: [String], allowed: Set<Int32>)] = [
            ("ak/sk, listing", aksk, [], [0, 1]),
            ("ak/sk, by id", aksk, ids, [1]),
            ("token, by id", token, ids, [1]),
            ("token, listing", token, [], [0, 1]),
            ("password, by id", password, ids, [1]),
            ("password, listing", password, [], [0, 1]),
            ("wrong secret key", wrongAKSK, [], [3]),
            ("wrong token", ["HW_AUTH_TOKEN": Self.wrongToken], [], [3]),
            ("wrong password", wrongPassword, [], [3]),
        ]
        var outputs: [String] = []
        for (index, plan) in plans.enumerated() {
            if index % 2 == 1 { await cloud.advance(nights: 3) }
            var environment = plan.environment
            environment["HW_PROJECT_ID"] = project
            let result = try await CLI.run(
                [
                    "collect", "--endpoint", base, "--db", db, "--log-level", "trace", "--progress", "always",
                    "--timeout", "5",
                ]
                    + plan.extra + operations, environment: environment)
            #expect(plan.allowed.contains(result.status), "\(plan.name): exit \(result.status) \(result.stderr)")
            outputs += [result.stdout, result.stderr]
        }
        #expect(await cloud.faultFirings.count >= rules.count, "every kind of fault fired")
        #expect(outputs.joined().contains("authentication rejected"), "the 401s happened")
        let received = await receiver.requests()
        #expect(
            received.contains { $0.path.hasPrefix("/hooks/") } && received.contains { $0.path.hasSuffix("/fail") },
            "notifications and heartbeats were sent")
        #expect(outputs.joined().contains("notification not delivered"), "a delivery failure was logged")

        for view in ["history", "changes", "timestamps"] {
            for format in ["csv", "html"] {
                let result = try await CLI.run(["report", view, "--format", format, "--db", db], directory: directory)
                #expect(result.status == 0, "\(result.stderr)")
                outputs += [result.stdout, result.stderr]
            }
        }
        for arguments in [
            ["runs", "--format", "json"], ["gateways", "--format", "csv"], ["verify"], ["when-changed", g[1].rawValue],
        ] {
            let result = try await CLI.run(arguments + ["--db", db], directory: directory)
            outputs += [result.stdout, result.stderr]
        }

        let issued = Array(await cloud.tokens.keys)
        #expect(!issued.isEmpty, "IAM issued tokens during the password runs")
        let secrets =
            [
                Self.secretKey, Self.securityToken, Self.token, Self.password, Self.wrongSecretKey, Self.wrongToken,
                Self.wrongPassword, Self.webhookPathToken, Self.webhookQueryToken, Self.heartbeatToken,
            ] + issued
        var haystacks: [(String, Data)] = outputs.enumerated().map { ("output \($0.offset)", Data($0.element.utf8)) }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.contains { $0.hasSuffix(".html") } && files.contains { $0.hasSuffix(".manifest.json") })
        for file in files {
            haystacks.append((file, try Data(contentsOf: directory.appendingPathComponent(file))))
        }
        var hits: [String] = []
        for secret in secrets {
            for (name, bytes) in haystacks where bytes.range(of: Data(secret.utf8)) != nil {
                hits.append("\(secret.prefix(14))… in \(name)")
            }
        }
        #expect(hits.isEmpty, "secrets found: \(hits)")
        #expect(haystacks.count > 20)
        let firings = await cloud.faultFirings.count
        // One line for the torture summary: what was searched and what was found.
        print(
            "secret scan: \(secrets.count) secrets, \(plans.count) collect runs, \(firings) faults fired, "
                + "\(haystacks.count) outputs and files (\(haystacks.reduce(0) { $0 + $1.1.count }) bytes), \(hits.count) hits"
        )
    }
}
