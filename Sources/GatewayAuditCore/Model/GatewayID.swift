/// A customer gateway's id, as the API sends it.
public struct GatewayID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The id text.
    public let rawValue: String

    /// Wraps an id text unchanged.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// Ids are compared by their UTF-8 bytes, as both stores compare them (SQLite's binary collation,
    /// PostgreSQL's `COLLATE "C"`): two ids Swift's `String` holds equal (`é` composed and `e` with a combining
    /// accent) are two resources in the history, so they are two here too.
    public static func == (lhs: GatewayID, rhs: GatewayID) -> Bool {
        lhs.rawValue.utf8.elementsEqual(rhs.rawValue.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        var text = rawValue
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The stores' order: by UTF-8 bytes.
    public static func < (lhs: GatewayID, rhs: GatewayID) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }
}
