import Crypto
import Foundation

/// Where a PostgreSQL history lives: a `postgres://` or `postgresql://` URL, parsed once.
///
/// The password comes from the URL, else `PGPASSWORD`, else `~/.pgpass` (as libpq reads them). It is
/// kept apart from ``redacted``, the form every message, manifest and report shows.
public struct PostgresLocation: Sendable, Hashable {
    /// How the connection uses TLS (`sslmode`).
    public enum TLSMode: String, Sendable, Hashable {
        /// No TLS (`disable`, and `allow`, which this client treats as no TLS).
        case disable
        /// TLS when the server offers it, the server's certificate not checked; plain text when it answers
        /// that it has no TLS (`prefer`, the default, as in libpq).
        case prefer
        /// TLS required, the server's certificate not checked (`require` without `sslrootcert`).
        case require
        /// TLS required and the certificate chain verified against `sslrootcert` (or the system's roots), the
        /// host name not checked (`verify-ca`, and `require` with `sslrootcert`, as in libpq).
        case verifyCA = "verify-ca"
        /// TLS required and the certificate verified against `sslrootcert` (or the system's roots) and the
        /// host name (`verify-full`).
        case verifyFull = "verify-full"
    }

    /// The server's host name or address.
    public let host: String
    /// The server's port.
    public let port: Int
    /// The role to log in as.
    public let user: String
    /// The database name.
    public let database: String
    /// The TLS mode.
    public let tls: TLSMode
    /// A PEM file of trusted certificate authorities (`sslrootcert`), for `verify-full`.
    public let rootCertificatePath: String?
    let password: String?

    /// The URL without its password: what messages, manifests and reports show. `sslmode` is shown only when
    /// it requires TLS: a URL without it (`prefer`) or with `disable` keeps the form, and the ``digest``, it
    /// always had.
    public var redacted: String {
        // An IPv6 address goes back into its brackets.
        var text = "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        var query: [String] = []
        if tls != .disable, tls != .prefer { query.append("sslmode=\(tls.rawValue)") }
        if let rootCertificatePath { query.append("sslrootcert=\(rootCertificatePath)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// 16 hex digits of the SHA-256 of ``redacted``: a name for files that belong to this database.
    public var digest: String {
        String(SHA256.hash(data: Data(redacted.utf8)).hexString.prefix(16))
    }

    /// True when `text` names a PostgreSQL database rather than an SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…]` URL.
    /// - Throws: ``StoreError/invalidLocation(detail:)`` for a malformed URL (never echoing a password).
    public static func parse(
        _ text: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StoreError) -> PostgresLocation {
        guard isPostgres(text), let components = URLComponents(string: text) else {
            throw .invalidLocation(detail: "not a postgres://user@host:port/database URL")
        }
        guard var host = components.host, !host.isEmpty else {
            throw .invalidLocation(detail: "the URL names no host")
        }
        // `[::1]`: the address without its brackets, for the connection and `~/.pgpass`.
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw .invalidLocation(detail: "the URL names no database (postgres://user@host/DATABASE)")
        }
        // `user` and `password` come percent-decoded already: decoding them again would turn a `%25` (a `%`)
        // and what follows it into another character, or into nothing.
        if components.percentEncodedUser != nil, components.user == nil {
            throw .invalidLocation(detail: "the URL's user name is not valid percent-encoded UTF-8")
        }
        if components.percentEncodedPassword != nil, components.password == nil {
            throw .invalidLocation(detail: "the URL's password is not valid percent-encoded UTF-8")
        }
        let user = components.user ?? environment["PGUSER"] ?? "postgres"
        let port = components.port ?? 5432
        // As libpq: PGSSLMODE and PGSSLROOTCERT unless the URL says otherwise.
        var mode = environment["PGSSLMODE"].flatMap { $0.isEmpty ? nil : $0 }
        var rootCertificate = environment["PGSSLROOTCERT"].flatMap { $0.isEmpty ? nil : $0 }
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", let value): mode = value
            case ("sslrootcert", let path): rootCertificate = path
            case (let name, _):
                throw .invalidLocation(detail: "unknown URL parameter \(name) (known: sslmode, sslrootcert)")
            }
        }
        var tls = TLSMode.prefer
        switch mode ?? "prefer" {
        case "disable": tls = .disable
        case "allow":
            throw .invalidLocation(
                detail: "sslmode=allow is not supported (it falls back to TLS only when plain text is refused); "
                    + "use prefer, require or disable")
        case "prefer": tls = .prefer
        // libpq checks the certificate authority under `require` when a root certificate file is named.
        case "require": tls = rootCertificate == nil ? .require : .verifyCA
        case "verify-ca": tls = .verifyCA
        case "verify-full": tls = .verifyFull
        case let other:
            throw .invalidLocation(
                detail: "sslmode=\(other) is not one of disable, prefer, require, verify-ca, verify-full")
        }
        let password =
            components.password ?? environment["PGPASSWORD"]
            ?? PGPassFile.password(
                host: host, port: port, database: database, user: user,
                path: environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" })
        return PostgresLocation(
            host: host, port: port, user: user, database: database, tls: tls, rootCertificatePath: rootCertificate,
            password: password)
    }
}

/// `~/.pgpass`: lines of `host:port:database:user:password`, `*` matching anything, `\` escaping `:` and `\`.
enum PGPassFile {
    static func password(host: String, port: Int, database: String, user: String, path: String?) -> String? {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    private static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
