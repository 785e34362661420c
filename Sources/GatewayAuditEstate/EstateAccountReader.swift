import GatewayAuditCore

/// Reads and validates one `[[account]]` table.
struct EstateAccountReader {
    var reader: EstateTableReader

    static let commonKeys = ["name", "cloud", "auth", "regions", "projects", "endpoints", "iam_endpoints"]
    static let authKeys: [String: [String]] = [
        "aksk": ["access_key_env", "secret_key_env", "security_token_env"],
        "token": ["token_env"],
        "password": ["user_env", "password_env", "domain_env"],
    ]

    mutating func read() throws(EstateError) -> EstateAccount {
        // The name labels every message about this account, even one about a key before it.
        reader.accountName = reader.table["name"]?.string
        let allAuthKeys = EstateAccountReader.authKeys.values.flatMap { $0 }
        try reader.rejectUnknownKeys(allowed: EstateAccountReader.commonKeys + allAuthKeys.sorted())
        let name = try reader.requiredString("name", hint: "give the account a label, unique in the file")
        reader.accountName = name
        let cloudText = try reader.requiredString("cloud", hint: "set cloud = \"huawei\" or \"otc\"")
        guard let cloud = Cloud(rawValue: cloudText) else {
            throw reader.error("cloud", "\"\(cloudText)\" is not a cloud; use \"huawei\" or \"otc\"")
        }
        let auth = try readAuth()
        guard let regions = try reader.strings("regions") else {
            throw EstateError(
                file: reader.file, line: reader.lines.accountLine(reader.account ?? 0),
                key: reader.keyPath("regions"), problem: "missing; list the regions, e.g. regions = [\"eu-de\"]")
        }
        let projects = try readProjects(regions: regions)
        let endpoints = try reader.stringTable("endpoints")
        let iamEndpoints = try reader.stringTable("iam_endpoints")
        for (key, table) in [("endpoints", endpoints), ("iam_endpoints", iamEndpoints)] {
            for (region, url) in table.sorted(by: { $0.key < $1.key }) {
                guard regions.contains(region) else {
                    throw reader.error(key, "region \"\(region)\" is not in regions; add it there or remove this entry")
                }
                guard EstateAccountReader.isAllowedURL(url) else {
                    throw reader.error(
                        key,
                        "\"\(url)\" for \(region) is not an https:// URL (plain http:// only to 127.0.0.1 or localhost)"
                    )
                }
            }
        }
        var lines: [String: Int] = [:]
        for key in reader.table.keys { lines[key] = reader.line(key) }
        return EstateAccount(
            name: name, cloud: cloud, auth: auth, regions: regions, projects: projects, endpoints: endpoints,
            iamEndpoints: iamEndpoints, lines: lines)
    }

    private func readAuth() throws(EstateError) -> EstateAuth {
        let authText = try reader.requiredString("auth", hint: "set auth = \"aksk\", \"token\" or \"password\"")
        guard let keys = EstateAccountReader.authKeys[authText] else {
            throw reader.error(
                "auth", "\"\(authText)\" is not an authentication; use \"aksk\", \"token\" or \"password\"")
        }
        for (other, otherKeys) in EstateAccountReader.authKeys.sorted(by: { $0.key < $1.key }) where other != authText {
            for key in otherKeys where reader.table.contains(key: key) {
                throw reader.error(key, "does not apply to auth = \"\(authText)\"; remove it (or change auth)")
            }
        }
        func required(_ key: String) throws(EstateError) -> String {
            let needed = keys.filter { $0 != "security_token_env" }.joined(separator: ", ")
            return try variable(
                key,
                reader.requiredString(
                    key, hint: "auth = \"\(authText)\" needs \(needed): the names of the environment variables"))
        }
        switch authText {
        case "aksk":
            return .accessKey(
                accessKey: try required("access_key_env"), secretKey: try required("secret_key_env"),
                securityToken: try reader.string("security_token_env").map { name throws(EstateError) in
                    try variable("security_token_env", name)
                })
        case "token":
            return .token(token: try required("token_env"))
        default:
            return .password(
                user: try required("user_env"), password: try required("password_env"),
                domain: try required("domain_env"))
        }
    }

    /// `name`, the value of `key`, when it can name an environment variable (a letter or `_`, then letters,
    /// digits and `_`). Anything else may be the secret itself, pasted by mistake: the error never shows it.
    private func variable(_ key: String, _ name: String) throws(EstateError) -> String {
        let bytes = Array(name.utf8)
        let isName =
            bytes.enumerated().allSatisfy { index, byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"):
                    return true
                case UInt8(ascii: "0")...UInt8(ascii: "9"): return index > 0
                default: return false
                }
            }
        guard isName else {
            throw reader.error(
                key,
                "is not the name of an environment variable (letters, digits and _); name the variable that holds "
                    + "the secret, never the secret itself (the value is not shown)")
        }
        return name
    }

    private func readProjects(regions: [String]) throws(EstateError) -> EstateProjects {
        guard let value = reader.table["projects"] else {
            throw EstateError(
                file: reader.file, line: reader.lines.accountLine(reader.account ?? 0),
                key: reader.keyPath("projects"), problem: "missing; set projects = \"all\" or a list of project ids")
        }
        if value.type == .string {
            guard value.string == "all" else {
                throw reader.error(
                    "projects",
                    "expected \"all\", an array of project ids or a table of them by region, found the string \"\(value.string ?? "")\""
                )
            }
            return .all
        }
        if value.type == .table, let table = value.table {
            var lists: [String: [String]] = [:]
            // Its errors name `account "prod".projects.eu-de` at the line of `eu-de` in the table.
            let inner = reader.nested("projects", table: table)
            for region in table.keys.sorted() {
                guard regions.contains(region) else {
                    throw reader.error(
                        "projects", "region \"\(region)\" is not in regions; add it there or remove this entry")
                }
                guard let list = try inner.strings(region) else { continue }
                lists[region] = list
            }
            for region in regions where lists[region] == nil {
                throw reader.error("projects", "no project ids for region \"\(region)\"; list them, or use \"all\"")
            }
            return .byRegion(lists)
        }
        guard value.type == .array, let list = try reader.strings("projects") else {
            throw reader.wrongType(
                "projects", expected: "\"all\", an array of project ids or a table of them by region", found: value)
        }
        return .list(list)
    }

    static func isAllowedURL(_ text: String) -> Bool {
        guard let schemeEnd = text.range(of: "://") else { return false }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        var host = Substring(text[schemeEnd.upperBound...])
        if let end = host.firstIndex(where: { $0 == "/" || $0 == "?" }) { host = host[..<end] }
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        guard !host.isEmpty else { return false }
        return scheme == "https" || (scheme == "http" && Loopback.isLoopback(host: String(host)))
    }
}
