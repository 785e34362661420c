import Foundation
import Testing

/// The PostgreSQL server the tests use (shared by the unit and end-to-end test targets): `GATEWAY_AUDIT_TEST_PG=postgres://user:password@127.0.0.1:port/db`
/// (`Tests/postgres/cluster.sh start DIR` starts a throwaway one and prints its URL). Without it the
/// PostgreSQL tests are skipped, saying so; `.ci/run` always sets it and checks they ran.
public enum PostgresTestServer {
    /// The server's URL, nil when none is configured.
    public static let url: String? = ProcessInfo.processInfo.environment["GATEWAY_AUDIT_TEST_PG"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// Whether a server is configured.
    public static var isAvailable: Bool { url != nil }

    /// Why the PostgreSQL tests did not run.
    public static let skipped: Comment =
        "PostgreSQL tests skipped: set GATEWAY_AUDIT_TEST_PG (Tests/postgres/cluster.sh start DIR prints a URL)"

    public struct Unavailable: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "GATEWAY_AUDIT_TEST_PG is not set" }
    }

    public struct PSQLFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A new, empty database on the server; returns its URL. psql runs off the cooperative pool.
    public static func freshDatabase() async throws -> String {
        try await offPool { try createDatabase() }
    }

    private static func createDatabase() throws -> String {
        guard let url, var components = URLComponents(string: url) else { throw Unavailable() }
        let name = "ga_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try psql(url, "CREATE DATABASE \(name)")
        if let marker = ProcessInfo.processInfo.environment["GATEWAY_AUDIT_TEST_PG_MARKER"] {
            // Unwritten, the marker is missing and .ci/run's check that these tests ran fails with its message.
            _ = FileManager.default.createFile(atPath: marker, contents: Data("ran\n".utf8))
        }
        components.path = "/" + name
        guard let fresh = components.string else { throw Unavailable() }
        return fresh
    }

    /// Runs `sql` with psql against `url`; returns its unaligned, tuples-only output.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let run = try ToolRun(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        guard run.status == 0 else {
            throw PSQLFailure(description: "psql: " + String(decoding: run.errors, as: UTF8.self))
        }
        return String(decoding: run.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Runs `body`, which blocks (a subprocess, synchronous reads waiting on a PostgreSQL server), on a thread
/// of its own: neither on the cooperative pool the other tests share nor on a global dispatch queue, whose
/// few threads (as many as cores) a blocked body holds until libdispatch notices and adds one; dozens of
/// subprocess tests at once delayed every test's wake-ups by up to 20 s that way.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
