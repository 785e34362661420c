/// A project IAM lists for the credentials.
public struct IAMProject: Sendable, Hashable {
    /// The project id.
    public let id: String
    /// Its name: a region's main project is named after the region, sub-projects `{region}_{suffix}`.
    public let name: String

    /// Creates a project.
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// Whether the project belongs to `region` by the clouds' naming rule.
    public func isIn(region: String) -> Bool {
        name == region || name.hasPrefix(region + "_")
    }
}
