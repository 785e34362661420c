import Testing

@testable import GatewayAuditCore

@Suite("secret member names")
struct SecretNameTests {
    @Test(
        "a member is secret when its name holds psk, password or secret, in any case",
        arguments: [
            ("psk", true), ("PSK", true), ("ike_psk", true), ("Password2", true), ("clientSecret", true),
            ("PS\u{212A}", true), ("x-Passwort", false), ("ps", false), ("name", false), ("", false),
            ("résumé_secret", true), ("peer_address", false),
        ])
    func names(name: String, secret: Bool) {
        #expect(SecretFingerprint.isSecret(name) == secret, "\(name)")
    }
}
