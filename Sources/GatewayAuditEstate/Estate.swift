import GatewayAuditCore

/// An estate file, validated: where the history goes and the accounts to collect. Holds names of
/// environment variables only, never a secret.
public struct Estate: Sendable, Hashable {
    /// The file it was read from.
    public let path: String
    /// The history database, when the file names one.
    public let database: String?
    /// The accounts, in file order.
    public let accounts: [EstateAccount]
}
