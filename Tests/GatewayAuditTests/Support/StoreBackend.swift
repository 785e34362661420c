import TestSupport
import Testing

/// The stores the conformance tests run against: SQLite always, PostgreSQL when a server is configured.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    /// The backends to test here.
    static var available: [StoreBackend] { PostgresTestServer.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}
