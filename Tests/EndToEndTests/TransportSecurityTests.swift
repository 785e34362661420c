import Foundation
import Testing
import TestSupport

/// HTTPS with a private CA, and the endpoints the tool refuses before sending anything.
@Suite("transport security: untrusted certificates, --ca-file, plain http", .serialized)
struct TransportSecurityTests {
    /// A private CA and a server certificate for 127.0.0.1 signed by it, made with openssl.
    struct PrivateCA {
        let caPath: String
        let certificatePath: String
        let keyPath: String

        static func make(in directory: URL) throws -> PrivateCA? {
            let openssl = "/usr/bin/openssl"
            guard FileManager.default.isExecutableFile(atPath: openssl) else { return nil }
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
            try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                .write(toFile: path("server.ext"), atomically: true, encoding: .utf8)
            let steps: [[String]] = [
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                    path("ca.key"), "-out", path("ca.pem"), "-days", "2", "-subj", "/CN=gateway-audit test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ],
                [
                    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                    path("server.key"), "-out", path("server.csr"), "-subj", "/CN=127.0.0.1",
                ],
                [
                    "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                    "-CAcreateserial", "-out", path("server.pem"), "-days", "2", "-extfile", path("server.ext"),
                ],
            ]
            for arguments in steps {
                let run = try Spawn.run(openssl, arguments, stdout: .discard, stderr: .discard)
                guard run.status == 0 else { return nil }
            }
            return PrivateCA(caPath: path("ca.pem"), certificatePath: path("server.pem"), keyPath: path("server.key"))
        }
    }

    @Test("an untrusted certificate is refused (exit 2, says what to do); --ca-file with the private CA is trusted")
    func privateCA() async throws {
        try await EndToEnd.with { e in
            guard let ca = try PrivateCA.make(in: e.directory) else {
                Issue.record("openssl is needed to make a test CA and was not found at /usr/bin/openssl")
                return
            }
            let proxy = try await TLSProxy.start(
                certificatePath: ca.certificatePath, keyPath: ca.keyPath, targetPort: e.running.port)
            defer { Task { await proxy.stop() } }
            let endpoint = "https://127.0.0.1:\(proxy.port)"
            let base = ["collect", "--endpoint", endpoint, "--db", e.db]

            let refused = try await CLI.run(base, environment: e.akskEnvironment)
            #expect(refused.status == 2, "\(refused.stderr)")
            #expect(refused.stderr.hasPrefix("gateway-audit: error: "), "\(refused.stderr)")
            #expect(
                refused.stderr.contains("certificate is not trusted: pass --ca-file with its CA"), "\(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")

            let trusted = try await CLI.run(base + ["--ca-file", ca.caPath], environment: e.akskEnvironment)
            #expect(trusted.status == 0, "\(trusted.stderr)")
            #expect(
                trusted.stdout.hasPrefix("run 2 complete: 23 observed, 0 unchanged, 0 changed, 23 new"),
                "\(trusted.stdout)")

            // The server's own certificate as the "CA" is not a CA: still refused.
            let wrongFile = e.directory.appendingPathComponent("not-a-cert.pem").path
            try "hello".write(toFile: wrongFile, atomically: true, encoding: .utf8)
            let unreadable = try await CLI.run(base + ["--ca-file", wrongFile], environment: e.akskEnvironment)
            #expect(unreadable.status == 2, "\(unreadable.stderr)")
            #expect(unreadable.stderr.contains("--ca-file \(wrongFile)"), "\(unreadable.stderr)")
            await proxy.stop()
        }
    }

    @Test(
        "plain http is refused for anything but loopback, before any request",
        arguments: [
            "http://vpn.example.com", "http://127.example.com", "http://127.0.0.1.nip.io", "http://10.0.0.1:8080",
            "http://[::2]:8080",
        ])
    func plainHTTP(endpoint: String) async throws {
        try await EndToEnd.with { e in
            let result = try await CLI.run(
                ["collect", "--endpoint", endpoint, "--db", e.db], environment: e.akskEnvironment)
            #expect(result.status == 2, "\(endpoint): \(result.stderr)")
            #expect(
                result.stderr.hasPrefix("gateway-audit: error: refusing endpoint \(endpoint): only https is allowed"),
                "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: e.db), "nothing was created")
            var iam = [
                "HW_USER_NAME": "u", "HW_PASSWORD": "p", "HW_DOMAIN_NAME": "d", "HW_PROJECT_ID": e.cloud.projectID,
            ]
            iam["HW_AUTH_URL"] = endpoint + "/v3"
            let password = try await CLI.run(
                ["collect", "--endpoint", e.running.baseURLString, "--db", e.db], environment: iam)
            #expect(password.status == 2, "\(password.stderr)")
            #expect(password.stderr.contains("refusing IAM URL"), "\(password.stderr)")
        }
    }
}
