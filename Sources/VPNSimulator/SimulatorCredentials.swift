import GatewayAuditCore

/// The credentials the simulator accepts. They are test credentials; nothing here is a real secret.
public struct SimulatorCredentials: Sendable, Hashable, Codable {
    /// An IAM user that may obtain tokens with a password identity.
    public struct User: Sendable, Hashable, Codable {
        /// Domain (account) name.
        public var domain: String
        /// User name.
        public var name: String
        /// Password.
        public var password: String

        /// Creates a user.
        public init(domain: String, name: String, password: String) {
            self.domain = domain
            self.name = name
            self.password = password
        }
    }

    /// An AK/SK pair, optionally temporary (then requests must carry its `X-Security-Token`).
    public struct KeyPair: Sendable, Hashable, Codable {
        /// Access key id.
        public var accessKey: String
        /// Secret key.
        public var secretKey: String
        /// Security token of temporary credentials, required on every request when set.
        public var securityToken: String?

        /// Creates a key pair.
        public init(accessKey: String, secretKey: String, securityToken: String? = nil) {
            self.accessKey = accessKey
            self.secretKey = secretKey
            self.securityToken = securityToken
        }

        /// A signer for this pair.
        public var signer: AKSKSigner {
            AKSKSigner(accessKey: accessKey, secretKey: secretKey, securityToken: securityToken)
        }
    }

    /// Which clock `X-Sdk-Date` is checked against.
    public enum SDKDateClock: String, Sendable, Hashable, Codable, CaseIterable {
        /// The simulator's virtual clock (clients must sign with the simulated time).
        case virtual
        /// The machine's real clock (for clients that sign with the real time).
        case wall
        /// No skew check.
        case off
    }

    /// AK/SK pairs accepted.
    public var keyPairs: [KeyPair]
    /// Users that may obtain tokens.
    public var users: [User]
    /// Tokens accepted without ever expiring (as if issued long ago by the real IAM).
    public var fixedTokens: [String]
    /// Lifetime of tokens issued by `POST /v3/auth/tokens`, in virtual seconds.
    public var tokenLifetimeSeconds: Int64
    /// How many API requests a token issued by `POST /v3/auth/tokens` authorises before it expires
    /// (nil: no limit). Lets a test expire a token mid-run without moving the virtual clock.
    public var tokenLifetimeRequests: Int?
    /// The clock `X-Sdk-Date` is compared with.
    public var sdkDateClock: SDKDateClock

    /// Creates a credential set.
    public init(
        keyPairs: [KeyPair] = [], users: [User] = [], fixedTokens: [String] = [], tokenLifetimeSeconds: Int64 = 86_400,
        tokenLifetimeRequests: Int? = nil, sdkDateClock: SDKDateClock = .virtual
    ) {
        self.keyPairs = keyPairs
        self.users = users
        self.fixedTokens = fixedTokens
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.tokenLifetimeRequests = tokenLifetimeRequests
        self.sdkDateClock = sdkDateClock
    }

    /// The default test credentials: AK `SIMULATORACCESSKEY01` / SK `simulator-secret-key`, user
    /// `simulator-user` / `simulator-password` in domain `simulator-domain`, no fixed token.
    public static let standard = SimulatorCredentials(
        keyPairs: [KeyPair(accessKey: "SIMULATORACCESSKEY01", secretKey: "simulator-secret-key")],
        users: [User(domain: "simulator-domain", name: "simulator-user", password: "simulator-password")])
}
