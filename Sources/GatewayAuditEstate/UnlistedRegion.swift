import GatewayAuditClient

/// An account's region whose projects could not be listed (`projects = "all"`): no run can hold the
/// failure, so it is reported on its own.
public struct UnlistedRegion: Sendable {
    /// The account.
    public let account: EstateAccount
    /// The region.
    public let region: String
    /// Why IAM's project list could not be read.
    public let error: ClientError

    /// `account/region/all` as summary lines show it.
    public var label: String { "\(account.name)/\(region)/all" }
}
