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

    @Test("a tag whose key names a secret keeps only its value's fingerprint; other tags and a key named 'key' stay")
    func secretTags() throws {
        let gateway = try CustomerGateway(
            json: .object([
                "id": "cgw-1", "name": "branch", "id_type": "ip", "id_value": "203.0.113.10",
                "tags": .array([
                    .object(["key": "vpn_psk", "value": "hunter2"]), .object(["key": "env", "value": "prod"]),
                    .object(["key": "Admin-Password", "value": .null]),
                ]),
                "extra": .object(["key": "api-secret-name", "label": "kept"]),
            ]))
        let tags = gateway.resource.raw["tags"]?.arrayValue ?? []
        #expect(tags.map { $0["value"] } == [SecretFingerprint.fingerprint(of: "hunter2"), "prod", .null])
        #expect(!gateway.resource.canonicalJSON.contains("hunter2"))
        // A member named "key" is not a tag's value: the object around it keeps its other members.
        #expect(gateway.resource.raw["extra"] == .object(["key": "api-secret-name", "label": "kept"]))
    }
}
