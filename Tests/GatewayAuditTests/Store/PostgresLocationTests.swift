import Foundation
import NIOSSL
import Testing

@testable import GatewayAuditStore

/// A `postgres://` URL read as libpq reads it: the user name and password percent-decoded exactly once, and
/// TLS tried by default (`sslmode=prefer`) rather than left off.
@Suite("PostgreSQL URLs: user and password decoded once, sslmode=prefer by default")
struct PostgresLocationTests {
    @Test("a user name and password in the URL are percent-decoded once: %2541 is %41, %25 a %, %40 an @")
    func decodedOnce() throws {
        let doubled = try PostgresLocation.parse("postgres://u:ab%2541@h/db", environment: [:])
        #expect(doubled.password == "ab%41")
        // Decoded twice, "100%" was no password at all, and PGPASSWORD took its place.
        let percent = try PostgresLocation.parse("postgres://u:100%25@h/db", environment: ["PGPASSWORD": "other"])
        #expect(percent.password == "100%")
        let at = try PostgresLocation.parse("postgres://me%40corp:pw@h/db", environment: [:])
        #expect(at.user == "me@corp" && at.password == "pw")
        let escaped = try PostgresLocation.parse("postgres://a%2540b@h/db", environment: [:])
        #expect(escaped.user == "a%40b" && escaped.password == nil)
    }

    @Test("a password whose escapes are not UTF-8 is refused rather than replaced by PGPASSWORD")
    func undecodablePassword() {
        #expect(throws: StoreError.self) {
            try PostgresLocation.parse("postgres://u:%FF@h/db", environment: ["PGPASSWORD": "other"])
        }
    }

    @Test("no sslmode, or sslmode=prefer, tries TLS without checking the certificate; disable stays plain")
    func preferByDefault() throws {
        for url in ["postgres://u@h/db", "postgres://u@h/db?sslmode=prefer"] {
            let location = try PostgresLocation.parse(url, environment: [:])
            #expect(location.tls == .prefer)
            // The shown form (and the digest naming the notification ledger) of a URL without sslmode is unchanged.
            #expect(location.redacted == "postgres://u@h:5432/db")
            let tls = try PostgresSession(location: location).makeConfiguration().tls
            #expect(tls.isAllowed && !tls.isEnforced)
            let context = try #require(tls.sslContext)
            #expect(context.configuration.certificateVerification == CertificateVerification.none)
        }
        let plain = try PostgresLocation.parse("postgres://u@h/db?sslmode=disable", environment: [:])
        #expect(plain.tls == .disable)
        let plainTLS = try PostgresSession(location: plain).makeConfiguration().tls
        #expect(!plainTLS.isAllowed)
        let required = try PostgresLocation.parse("postgres://u@h/db?sslmode=require", environment: [:])
        #expect(required.redacted == "postgres://u@h:5432/db?sslmode=require")
        let requiredTLS = try PostgresSession(location: required).makeConfiguration().tls
        #expect(requiredTLS.isAllowed && requiredTLS.isEnforced)
    }

    @Test("verify-ca checks the authority, not the name; require with sslrootcert is verify-ca; PGSSL* apply; [::1]")
    func certificateModes() throws {
        let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("ga-ca-\(UUID().uuidString).pem")
        defer { try? FileManager.default.removeItem(at: caFile) }
        try Data("not a certificate\n".utf8).write(to: caFile)
        let byCA = try PostgresLocation.parse("postgres://u@10.0.0.5/db?sslmode=verify-ca", environment: [:])
        #expect(byCA.tls == .verifyCA && byCA.redacted == "postgres://u@10.0.0.5:5432/db?sslmode=verify-ca")
        let caTLS = try PostgresSession(location: byCA).makeConfiguration().tls
        #expect(caTLS.isEnforced)
        #expect(try #require(caTLS.sslContext).configuration.certificateVerification == .noHostnameVerification)
        let full = try PostgresLocation.parse("postgres://u@h/db?sslmode=verify-full", environment: [:])
        let fullTLS = try PostgresSession(location: full).makeConfiguration().tls
        #expect(try #require(fullTLS.sslContext).configuration.certificateVerification == .fullVerification)
        // libpq: `require` naming a root certificate checks the authority; so do PGSSLMODE and PGSSLROOTCERT.
        let rooted = try PostgresLocation.parse(
            "postgres://u@h/db?sslmode=require&sslrootcert=\(caFile.path)", environment: [:])
        #expect(rooted.tls == .verifyCA)
        let fromEnvironment = try PostgresLocation.parse(
            "postgres://u@h/db", environment: ["PGSSLMODE": "verify-full", "PGSSLROOTCERT": caFile.path])
        #expect(fromEnvironment.tls == .verifyFull && fromEnvironment.rootCertificatePath == caFile.path)
        let overridden = try PostgresLocation.parse(
            "postgres://u@h/db?sslmode=disable", environment: ["PGSSLMODE": "verify-full"])
        #expect(overridden.tls == .disable)
        // A root certificate file that holds none is named, with what to do.
        #expect {
            _ = try PostgresSession(location: rooted).makeConfiguration()
        } throws: { error in
            "\(error)".contains("sslrootcert \(caFile.path): cannot load certificates from it")
        }
        #expect(throws: StoreError.self) {
            try PostgresLocation.parse("postgres://u@h/db?sslmode=allow", environment: [:])
        }
        let v6 = try PostgresLocation.parse("postgres://u@[::1]:6543/db", environment: [:])
        #expect(v6.host == "::1" && v6.redacted == "postgres://u@[::1]:6543/db")
    }

}
