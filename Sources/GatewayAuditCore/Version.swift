/// The tool's version, recorded with every collection run and export.
public enum GatewayAuditVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
