/// A project as IAM's project list shows it.
public struct SimulatedProject: Sendable, Hashable, Codable {
    /// The project id.
    public var id: String
    /// Its name: the region (`eu-de`), or `{region}_{suffix}` for a sub-project.
    public var name: String

    /// Creates a project entry.
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
