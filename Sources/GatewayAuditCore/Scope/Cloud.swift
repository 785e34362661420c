/// The two clouds of the Enterprise Edition VPN v5 API and where their endpoints are by region.
public enum Cloud: String, Sendable, Hashable, Codable, CaseIterable {
    /// Huawei Cloud: `https://vpn.{region}.myhuaweicloud.com`.
    case huawei
    /// Open Telekom Cloud: `https://vpn.{region}.otc.t-systems.com`.
    case otc

    /// The host suffix after `{service}.{region}.`.
    private var domain: String {
        switch self {
        case .huawei: return "myhuaweicloud.com"
        case .otc: return "otc.t-systems.com"
        }
    }

    /// The VPN API base URL of `region`.
    public func vpnEndpoint(region: String) -> String {
        "https://vpn.\(region).\(domain)"
    }

    /// IAM's `/v3` base URL of `region`.
    public func iamEndpoint(region: String) -> String {
        "https://iam.\(region).\(domain)/v3"
    }

    /// The cloud and region a VPN endpoint URL names (`https://vpn.eu-de.otc.t-systems.com` → otc, eu-de);
    /// nil for any other host (a simulator, a private endpoint).
    public static func recognise(endpoint: String) -> (cloud: Cloud, region: String)? {
        guard let schemeEnd = endpoint.range(of: "://") else { return nil }
        var host = Substring(endpoint[schemeEnd.upperBound...])
        if let end = host.firstIndex(where: { $0 == "/" || $0 == ":" || $0 == "?" }) { host = host[..<end] }
        let labels = host.lowercased().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 3, labels[0] == "vpn", !labels[1].isEmpty else { return nil }
        let rest = labels.dropFirst(2).joined(separator: ".")
        guard let cloud = allCases.first(where: { $0.domain == rest }) else { return nil }
        return (cloud, labels[1])
    }
}
