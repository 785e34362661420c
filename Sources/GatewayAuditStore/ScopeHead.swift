import GatewayAuditCore

/// The chain head a scope's latest finished run sealed: what an export of an estate's history is anchored to,
/// scope by scope (each scope's runs chain and seal apart).
public struct ScopeHead: Sendable, Hashable, Codable {
    /// `account/cloud/region/project`, `-` for an empty part (a single-project run has no account).
    public let scope: String
    /// The sealed head, 64 hex digits.
    public let head: String

    /// The head `head` of `scope`.
    public init(scope: ScopeKey, head: String) {
        self.scope = [scope.account, scope.cloud, scope.region, scope.projectID].map { $0.isEmpty ? "-" : $0 }
            .joined(separator: "/")
        self.head = head
    }
}
