import Foundation
import Logging
import Testing

@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditEstate
@testable import GatewayAuditStore

/// The estate file: what a valid file gives, and one exact line (file, line, key) for every problem.
@Suite("Estate file")
struct EstateFileTests {
    static let valid = """
        # /etc/gateway-audit/estate.toml — no secret ever goes in this file
        database = "/var/lib/gateway-audit/history.sqlite"

        [[account]]
        name = "prod-huawei"
        cloud = "huawei"
        auth = "aksk"
        access_key_env = "PROD_AK"
        secret_key_env = "PROD_SK"
        regions = ["eu-west-101", "ap-southeast-1"]
        projects = "all"
        endpoints = { "eu-west-101" = "https://vpn.eu-west-101.myhuaweicloud.com" }

        [[account]]
        name = "otc"
        cloud = "otc"
        auth = "password"
        user_env = "OTC_USER"
        password_env = "OTC_PASSWORD"
        domain_env = "OTC_DOMAIN"
        regions = ["eu-de", "eu-nl"]
        projects = ["5f0c", "7a1d"]
        iam_endpoints = { "eu-de" = "https://iam.eu-de.otc.t-systems.com/v3" }

        """

    static let environment = [
        "PROD_AK": "AK", "PROD_SK": "SK", "OTC_USER": "user", "OTC_PASSWORD": "pw", "OTC_DOMAIN": "domain",
    ]

    /// The valid file with line `line` (1-based) replaced by `text`.
    static func replacing(line: Int, with text: String) -> String {
        var lines = valid.components(separatedBy: "\n")
        lines[line - 1] = text
        return lines.joined(separator: "\n")
    }

    func problem(_ text: String) -> String? {
        do {
            _ = try EstateFile.parse(text, path: "estate.toml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("the issue's example file gives its accounts, regions, projects and endpoints")
    func validFile() throws {
        let estate = try EstateFile.parse(Self.valid, path: "estate.toml")
        #expect(estate.database == "/var/lib/gateway-audit/history.sqlite")
        #expect(estate.accounts.map(\.name) == ["prod-huawei", "otc"])
        let huawei = estate.accounts[0]
        #expect(huawei.cloud == .huawei)
        #expect(huawei.auth == .accessKey(accessKey: "PROD_AK", secretKey: "PROD_SK", securityToken: nil))
        #expect(huawei.projects == .all)
        #expect(huawei.endpoint(region: "eu-west-101") == "https://vpn.eu-west-101.myhuaweicloud.com")
        #expect(huawei.endpoint(region: "ap-southeast-1") == "https://vpn.ap-southeast-1.myhuaweicloud.com")
        #expect(huawei.iamEndpoint(region: "ap-southeast-1") == "https://iam.ap-southeast-1.myhuaweicloud.com/v3")
        let otc = estate.accounts[1]
        #expect(otc.auth == .password(user: "OTC_USER", password: "OTC_PASSWORD", domain: "OTC_DOMAIN"))
        #expect(otc.regions == ["eu-de", "eu-nl"])
        #expect(otc.projects == .list(["5f0c", "7a1d"]))
        #expect(otc.endpoint(region: "eu-nl") == "https://vpn.eu-nl.otc.t-systems.com")
        #expect(otc.iamEndpoint(region: "eu-nl") == "https://iam.eu-nl.otc.t-systems.com/v3")
    }

    @Test(
        "every problem is one line naming the file, the line and the key",
        arguments: [
            (
                9, "secret_key = \"MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc\"",
                "estate.toml:9: account \"prod-huawei\".secret_key: a secret must not be written in the estate file; "
                    + "put it in an environment variable and name that variable with secret_key_env"
            ),
            (
                19, "password = \"hunter2\"",
                "estate.toml:19: account \"otc\".password: a secret must not be written in the estate file; "
                    + "put it in an environment variable and name that variable with password_env"
            ),
            (
                2, "token = \"MIIT...\"",
                "estate.toml:2: token: a secret must not be written in the estate file; "
                    + "put it in an environment variable and name that variable with token_env"
            ),
            (
                2, "databse = \"/tmp/x.sqlite\"",
                "estate.toml:2: databse: unknown key; allowed here: database, account"
            ),
            (
                16, "clouds = \"otc\"",
                "estate.toml:16: account \"otc\".clouds: unknown key; allowed here: name, cloud, auth, regions, "
                    + "projects, endpoints, iam_endpoints, access_key_env, domain_env, password_env, secret_key_env, "
                    + "security_token_env, token_env, user_env"
            ),
            (
                9, "secret_key_env = \"wJalrXUtnFEMI/K7MDENG+bPxRfiCY\"",
                "estate.toml:9: account \"prod-huawei\".secret_key_env: is not the name of an environment variable "
                    + "(letters, digits and _); name the variable that holds the secret, never the secret itself "
                    + "(the value is not shown)"
            ),
            (
                19, "password_env = \"9OTC_PASSWORD\"",
                "estate.toml:19: account \"otc\".password_env: is not the name of an environment variable "
                    + "(letters, digits and _); name the variable that holds the secret, never the secret itself "
                    + "(the value is not shown)"
            ),
            (2, "database = 5", "estate.toml:2: database: expected a string, found an integer"),
            (
                21, "regions = \"eu-de\"",
                "estate.toml:21: account \"otc\".regions: expected an array of strings, found a string"
            ),
            (
                22, "projects = \"some\"",
                "estate.toml:22: account \"otc\".projects: expected \"all\", an array of project ids or a table of them by region, found the string \"some\""
            ),
            (
                22, "projects = [1, 2]",
                "estate.toml:22: account \"otc\".projects: expected an array of non-empty strings, found an integer"
            ),
            (
                15, "name = \"prod-huawei\"",
                "estate.toml:15: account \"prod-huawei\".name: duplicate account name (first used on line 5); "
                    + "give each account its own name"
            ),
            (
                6, "cloud = \"aws\"",
                "estate.toml:6: account \"prod-huawei\".cloud: \"aws\" is not a cloud; use \"huawei\" or \"otc\""
            ),
            (
                7, "auth = \"oauth\"",
                "estate.toml:7: account \"prod-huawei\".auth: \"oauth\" is not an authentication; use \"aksk\", \"token\" or \"password\""
            ),
            (
                9, "token_env = \"PROD_TOKEN\"",
                "estate.toml:9: account \"prod-huawei\".token_env: does not apply to auth = \"aksk\"; remove it (or change auth)"
            ),
            (
                9, "",
                "estate.toml:4: account \"prod-huawei\".secret_key_env: missing; auth = \"aksk\" needs access_key_env, "
                    + "secret_key_env: the names of the environment variables"
            ),
            (
                12, "endpoints = { \"eu-nl\" = \"https://vpn.example.com\" }",
                "estate.toml:12: account \"prod-huawei\".endpoints: region \"eu-nl\" is not in regions; "
                    + "add it there or remove this entry"
            ),
            (
                12, "endpoints = { \"eu-west-101\" = \"http://vpn.example.com\" }",
                "estate.toml:12: account \"prod-huawei\".endpoints: \"http://vpn.example.com\" for eu-west-101 is not "
                    + "an https:// URL (plain http:// only to 127.0.0.1 or localhost)"
            ),
            (
                12, "endpoints = { \"eu-west-101\" = 443 }",
                "estate.toml:12: account \"prod-huawei\".endpoints: expected a string for \"eu-west-101\", found an integer"
            ),
            (10, "regions = []", "estate.toml:10: account \"prod-huawei\".regions: must list at least one value"),
            (
                22, "projects = { \"eu-de\" = [\"5f0c\"] }",
                "estate.toml:22: account \"otc\".projects: no project ids for region \"eu-nl\"; list them, or use \"all\""
            ),
            (
                22, "projects = { \"eu-de\" = [\"5f0c\"], \"eu-fr\" = [\"7a1d\"] }",
                "estate.toml:22: account \"otc\".projects: region \"eu-fr\" is not in regions; add it there or remove this entry"
            ),
        ])
    func problems(line: Int, text: String, expected: String) {
        #expect(problem(Self.replacing(line: line, with: text)) == expected)
    }

    @Test("projects by region: each project is collected only in its own region")
    func projectsByRegion() async throws {
        let text = Self.replacing(
            line: 22, with: "projects = { \"eu-de\" = [\"5f0c\", \"6b2e\"], \"eu-nl\" = [\"7a1d\"] }")
        let estate = try EstateFile.parse(text, path: "estate.toml")
        #expect(estate.accounts[1].projects == .byRegion(["eu-de": ["5f0c", "6b2e"], "eu-nl": ["7a1d"]]))
        let plan = try await EstatePlan.make(
            estate: estate, filter: ScopeFilter(account: "otc"),
            credentials: EstateCredentials(environment: Self.environment),
            transport: ClosureTransport { _ throws(TransportError) in throw .connection("no request expected") },
            logger: Logger(label: "test"))
        #expect(plan.scopes.map { "\($0.key)" } == ["otc/eu-de/5f0c", "otc/eu-de/6b2e", "otc/eu-nl/7a1d"])
        #expect(plan.listedRegions == [.init(account: "otc", region: "eu-de"), .init(account: "otc", region: "eu-nl")])
        #expect(
            plan.scopes.map(\.endpoint) == [
                "https://vpn.eu-de.otc.t-systems.com", "https://vpn.eu-de.otc.t-systems.com",
                "https://vpn.eu-nl.otc.t-systems.com",
            ])
        // Narrowed to nothing: an error, never a run that stores nothing and exits 0.
        await #expect(
            throws: EstateError(
                file: "estate.toml", line: 0, key: "",
                problem: "no project \"7a1e\" in the accounts and regions kept (--project); check the id, or leave "
                    + "--project out")
        ) {
            try await EstatePlan.make(
                estate: estate, filter: ScopeFilter(account: "otc", projectID: "7a1e"),
                credentials: EstateCredentials(environment: Self.environment),
                transport: ClosureTransport { _ throws(TransportError) in throw .connection("no request expected") },
                logger: Logger(label: "test"))
        }
    }

    @Test("a night knows the projects of the regions the file names them for, and of those IAM lists one or more in")
    func listedRegions() async throws {
        let text =
            Self.sim + """
                projects = "all"
                endpoints = { "r1" = "https://vpn.r1.example.com", "r2" = "https://vpn.r2.example.com" }
                iam_endpoints = { "r1" = "https://iam.r1.example.com/v3", "r2" = "https://iam.r2.example.com/v3" }

                """
        let estate = try EstateFile.parse(text, path: "e.toml")
        // IAM lists one project in r1 and none in r2: more likely a permission taken away than r2 emptied.
        let transport = ClosureTransport { request throws(TransportError) in
            let body =
                request.url.host == "iam.r1.example.com"
                ? #"{"projects": [{"id": "p1", "name": "r1", "enabled": true}]}"# : #"{"projects": []}"#
            return ClientResponse(status: 200, body: Data(body.utf8))
        }
        let plan = try await EstatePlan.make(
            estate: estate, filter: ScopeFilter(), credentials: EstateCredentials(environment: ["SIM_TOKEN": "t"]),
            transport: transport, logger: Logger(label: "test"))
        #expect(plan.scopes.map { "\($0.key)" } == ["sim/r1/p1"])
        #expect(plan.listedRegions == [.init(account: "sim", region: "r1")])
    }

    /// An account "sim" with two regions, lines 1–7; the projects follow on line 8.
    static let sim = """
        [[account]]
        name = "sim"
        cloud = "huawei"
        auth = "token"
        token_env = "SIM_TOKEN"
        regions = ["r1", "r2"]
        # projects by region

        """

    /// The description of the error `text` gives as the estate file `e.toml`, nil when it is valid.
    func problemInE(_ text: String) -> String? {
        do {
            _ = try EstateFile.parse(text, path: "e.toml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a region's projects in an inline table: the account's name, projects.region and the line")
    func projectsInlineTableProblem() {
        #expect(
            problemInE(Self.sim + "projects = { \"r1\" = [\"p1\"], \"r2\" = [\"\"] }\n")
                == "e.toml:8: account \"sim\".projects.r2: expected an array of non-empty strings, found a string")
    }

    @Test("a region's projects in an [account.projects] sub-table: the account's name, projects.region and its line")
    func projectsSubTableProblem() {
        let text =
            Self.sim.replacingOccurrences(of: "# projects by region\n", with: "\n")
            + "[account.projects]\nr1 = [\"p1\"]\nr2 = 5\n"
        #expect(
            problemInE(text)
                == "e.toml:10: account \"sim\".projects.r2: expected an array of strings, found an integer")
    }

    @Test("a region's projects are found on their own line: dotted keys, tables over several lines, later accounts")
    func projectsRegionLines() {
        #expect(
            problemInE(Self.sim + "projects.r1 = [\"p1\"]\nprojects.r2 = [1]\n")
                == "e.toml:9: account \"sim\".projects.r2: expected an array of non-empty strings, found an integer")
        // "r2" as a project id, in a comment or inside a string is not the key.
        #expect(
            problemInE(Self.sim + "projects = { r1 = [\n  \"r2\",  # r2 = 1\n  'r2 = 1',\n], r2 = [] }\n")
                == "e.toml:11: account \"sim\".projects.r2: must list at least one value")
        let second = Self.sim.replacingOccurrences(of: "\"sim\"", with: "\"other\"")
        #expect(
            problemInE(
                second + "projects = \"all\"\n\n" + Self.sim + "[account.projects]\nr1 = [\"p1\"]\n\n\"r2\" = [\"\"]\n")
                == "e.toml:20: account \"sim\".projects.r2: expected an array of non-empty strings, found a string")
        // A key the table does not hold on a line of its own: the line of projects.
        #expect(
            problemInE(Self.sim + "projects = { r1 = [\"p1\"] }\n")
                == "e.toml:8: account \"sim\".projects: no project ids for region \"r2\"; list them, or use \"all\"")
    }

    @Test("a TOML syntax error names its line")
    func syntaxError() throws {
        let message = try #require(problem(Self.replacing(line: 10, with: "regions = [\"eu-west-101\"")))
        #expect(message.hasPrefix("estate.toml:11: not valid TOML: "), "\(message)")
    }

    @Test("a file without accounts says to add one")
    func noAccount() {
        #expect(
            problem("database = \"x.sqlite\"\n")
                == "estate.toml:1: account: no [[account]] table; add one per account (see README.md, \"A whole estate\")"
        )
    }

    @Test("an unreadable file is one line naming it")
    func unreadable() throws {
        do {
            _ = try EstateFile.load(path: "/nonexistent/estate.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/estate.toml: cannot read the estate file ("))
            #expect(error.description.hasSuffix("); check the path and permissions"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a secret pasted where a variable's name belongs is never echoed; conventional names are")
    func pastedSecretNotEchoed() throws {
        let secret = "p9Xw2LkQv7RzT4nYb8Mc1HdF6sJgA0eUiO3tKyVq"
        let accessKey = "HPUAXK3TQ9EXAMPLE7ZV"
        for (key, pasted) in [("secret_key_env", secret), ("access_key_env", accessKey)] {
            let text = Self.valid.replacingOccurrences(
                of: key == "secret_key_env" ? "secret_key_env = \"PROD_SK\"" : "access_key_env = \"PROD_AK\"",
                with: "\(key) = \"\(pasted)\"")
            let estate = try EstateFile.parse(text, path: "estate.toml")
            do {
                _ = try EstatePlan.regions(
                    of: estate, filter: ScopeFilter(), credentials: EstateCredentials(environment: Self.environment))
                Issue.record("expected an error for \(key)")
            } catch {
                #expect(!error.description.contains(pasted), "\(error.description)")
                #expect(
                    error.description.hasSuffix(
                        ".\(key): the environment variable it names is not set (the name is not shown: it may be a "
                            + "pasted secret); export it (or fix the name)"), "\(error.description)")
            }
        }
        #expect(EstateCredentials.mayShow("PROD_SK", of: "secret_key_env"))
        #expect(EstateCredentials.mayShow("OTC_DOMAIN", of: "domain_env"))
        #expect(!EstateCredentials.mayShow("PRODSK", of: "secret_key_env"))
        #expect(!EstateCredentials.mayShow("prod_sk", of: "token_env"))
    }

    @Test("a variable named but not set is named with the line of its key")
    func unsetVariable() throws {
        let estate = try EstateFile.parse(Self.valid, path: "estate.toml")
        var environment = Self.environment
        environment["OTC_PASSWORD"] = nil
        #expect(
            throws: EstateError(
                file: "estate.toml", line: 19, key: "account \"otc\".password_env",
                problem: "environment variable OTC_PASSWORD is not set; export it (or fix the name)")
        ) {
            try EstatePlan.regions(
                of: estate, filter: ScopeFilter(), credentials: EstateCredentials(environment: environment))
        }
        environment["OTC_PASSWORD"] = ""
        #expect(throws: EstateError.self) {
            try EstatePlan.regions(
                of: estate, filter: ScopeFilter(), credentials: EstateCredentials(environment: environment))
        }
    }

    @Test("narrowing keeps the named account and region; naming nothing in the file is an error")
    func narrowing() throws {
        let estate = try EstateFile.parse(Self.valid, path: "estate.toml")
        let credentials = EstateCredentials(environment: Self.environment)
        let all = try EstatePlan.regions(of: estate, filter: ScopeFilter(), credentials: credentials)
        #expect(
            all.map { "\($0.account.name)/\($0.region)" } == [
                "prod-huawei/eu-west-101", "prod-huawei/ap-southeast-1", "otc/eu-de", "otc/eu-nl",
            ])
        let otcNL = try EstatePlan.regions(
            of: estate, filter: ScopeFilter(account: "otc", region: "eu-nl"), credentials: credentials)
        #expect(otcNL.map { "\($0.account.name)/\($0.region)" } == ["otc/eu-nl"])
        #expect(
            throws: EstateError(
                file: "estate.toml", line: 0, key: "",
                problem: "no account \"aws\" in the file (--account); it has prod-huawei, otc")
        ) {
            try EstatePlan.regions(of: estate, filter: ScopeFilter(account: "aws"), credentials: credentials)
        }
    }

    @Test("cloud endpoints by region, and which cloud and region an endpoint names")
    func cloudEndpoints() {
        #expect(Cloud.otc.vpnEndpoint(region: "eu-nl") == "https://vpn.eu-nl.otc.t-systems.com")
        #expect(Cloud.huawei.iamEndpoint(region: "cn-north-4") == "https://iam.cn-north-4.myhuaweicloud.com/v3")
        func recognised(_ endpoint: String) -> String? {
            Cloud.recognise(endpoint: endpoint).map { "\($0.cloud.rawValue)/\($0.region)" }
        }
        #expect(recognised("https://vpn.eu-de.otc.t-systems.com") == "otc/eu-de")
        #expect(recognised("https://VPN.ap-southeast-1.myhuaweicloud.com:443/") == "huawei/ap-southeast-1")
        #expect(recognised("http://127.0.0.1:8080") == nil)
        #expect(
            ScopeKey(endpoint: "https://vpn.eu-de.otc.t-systems.com", projectID: "p")
                == ScopeKey(account: "", cloud: "otc", region: "eu-de", projectID: "p"))
    }
}
