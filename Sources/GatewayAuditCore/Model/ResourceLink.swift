/// A reference from one resource to another: a connection names its VPN gateway and customer gateway.
public struct ResourceLink: Sendable, Hashable {
    /// The kind of the resource referred to.
    public let kind: ResourceKind
    /// Its id.
    public let id: GatewayID

    /// Creates a link.
    public init(kind: ResourceKind, id: GatewayID) {
        self.kind = kind
        self.id = id
    }
}
