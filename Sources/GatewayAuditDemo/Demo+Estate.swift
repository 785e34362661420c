import Foundation
import GatewayAudit
import GatewayAuditEstate
import Logging
import VPNSimulator

extension Demo {
    /// The accounts of the estate demo: an AK/SK account on Huawei Cloud in two regions (two projects,
    /// then one) and a password account on Open Telekom Cloud in one region (two projects).
    static let estateLayout: [(account: String, region: String, projects: Int)] = [
        ("prod-huawei", "eu-west-101", 2), ("prod-huawei", "ap-southeast-1", 1), ("otc", "eu-de", 2),
    ]

    /// The estate file the demo writes: endpoints point at the in-process simulator, secrets come
    /// from the variables `environment` holds.
    static func estateFile(database: String, endpoints: [String: String]) -> String {
        func table(_ regions: [String]) -> String {
            "{ " + regions.map { "\"\($0)\" = \"\(endpoints[$0] ?? "")\"" }.joined(separator: ", ") + " }"
        }
        func iamTable(_ regions: [String]) -> String {
            "{ " + regions.map { "\"\($0)\" = \"\(endpoints[$0] ?? "")/v3\"" }.joined(separator: ", ") + " }"
        }
        return """
            # The estate demo: no secret in this file, only the names of the variables that hold them.
            database = "\(database)"

            [[account]]
            name = "prod-huawei"
            cloud = "huawei"
            auth = "aksk"
            access_key_env = "DEMO_HUAWEI_AK"
            secret_key_env = "DEMO_HUAWEI_SK"
            regions = ["eu-west-101", "ap-southeast-1"]
            projects = "all"
            endpoints = \(table(["eu-west-101", "ap-southeast-1"]))
            iam_endpoints = \(iamTable(["eu-west-101", "ap-southeast-1"]))

            [[account]]
            name = "otc"
            cloud = "otc"
            auth = "password"
            user_env = "DEMO_OTC_USER"
            password_env = "DEMO_OTC_PASSWORD"
            domain_env = "DEMO_OTC_DOMAIN"
            regions = ["eu-de"]
            projects = "all"
            endpoints = \(table(["eu-de"]))
            iam_endpoints = \(iamTable(["eu-de"]))

            """
    }

    /// The simulator's test credentials under the variable names the demo's estate file uses.
    static var estateEnvironment: [String: String] {
        let pair = SimulatorCredentials.standard.keyPairs[0]
        let user = SimulatorCredentials.standard.users[0]
        return [
            "DEMO_HUAWEI_AK": pair.accessKey, "DEMO_HUAWEI_SK": pair.secretKey, "DEMO_OTC_USER": user.name,
            "DEMO_OTC_PASSWORD": user.password, "DEMO_OTC_DOMAIN": user.domain,
        ]
    }

    /// The estate demo: three regions of simulated servers, the estate file, one estate run per night.
    func runEstate() async throws -> Summary {
        guard (1...Scenario.standard.nights).contains(options.nights) else {
            throw Failure.nights(requested: options.nights, available: Scenario.standard.nights)
        }
        try FileManager.default.createDirectory(atPath: options.outputDirectory, withIntermediateDirectories: true)
        try replaceDemoDatabase()
        let estate: SimulatedEstate
        do {
            estate = try await SimulatedEstate.start(Demo.estateLayout.map { ($0.region, $0.projects) })
        } catch {
            throw Failure.simulator("\(error)")
        }
        let transport = try HTTP1Transport()
        var incomplete = 0
        do {
            let endpoints = estate.regions.mapValues(\.baseURLString)
            let filePath = (options.outputDirectory as NSString).appendingPathComponent("estate.toml")
            // The file shows the database without a password; the demo opens the full URL itself.
            let shown = (try? PostgresLocation.parse(options.databasePath).redacted) ?? options.databasePath
            try Demo.estateFile(database: shown, endpoints: endpoints).write(
                toFile: filePath, atomically: true, encoding: .utf8)
            let file = try EstateFile.load(path: filePath)
            let database = try HistoryDatabase.open(path: options.databasePath)
            let credentials = EstateCredentials(environment: Demo.estateEnvironment)
            guard let first = estate.projects.values.first?.first else { throw Failure.simulator("no project") }
            for night in 0...options.nights {
                try await estate.advance(to: night)
                let time = FixedTime(first.runTime(ofNight: night))
                let plan = try await EstatePlan.make(
                    estate: file, filter: ScopeFilter(), credentials: credentials, transport: transport,
                    logger: logger, time: time)
                let runner = EstateRunner(
                    database: database, transport: transport, options: EstateRunner.Options(lockWait: .seconds(5)),
                    logger: logger, time: time)
                let outcomes =
                    plan.unlisted.map { ScopeOutcome($0) } + (await runner.run(plan.scopes, rejected: plan.rejected))
                incomplete += outcomes.filter { !$0.isComplete }.count
                logger.info("night \(night): \(EstateTotals(outcomes).line)")
            }
            try database.checkpoint()
            await shutDown(transport)
            await estate.stop()
            let queries = HistoryQueries(database)
            let files = try writeReports(queries, generatedAt: first.runTime(ofNight: options.nights))
            return try summary(
                of: queries, files: [filePath] + files, incompleteRuns: incomplete,
                fallbackExample: try queries.gateways().first?.gatewayID)
        } catch {
            await shutDown(transport)
            await estate.stop()
            throw error
        }
    }
}
