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
}
