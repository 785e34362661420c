/// Which projects of a region an account collects.
public enum EstateProjects: Sendable, Hashable {
    /// Every project the credentials can see in the region (IAM's project list).
    case all
    /// These project ids, in every region.
    case list([String])
    /// These project ids per region (a project belongs to one region).
    case byRegion([String: [String]])
}
