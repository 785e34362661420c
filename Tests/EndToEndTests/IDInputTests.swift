import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("collect --id and --ids-file input", .serialized)
struct IDInputTests {
    @Test("an empty --id or an --ids-file without ids is a usage error (exit 2), never a whole-project run")
    func emptyIDs() async throws {
        try await EndToEnd.with { e in
            for value in ["", "  "] {
                let empty = try await e.collect(["--id", value])
                #expect(empty.status == 2)
                #expect(
                    empty.stderr
                        == "gateway-audit: error: --id needs a resource id; an empty one (an unset shell variable?) "
                        + "is refused (see --help)\n")
            }
            let file = e.directory.appendingPathComponent("ids.txt")
            try Data("# exported nightly\n\n   \n".utf8).write(to: file)
            let none = try await e.collect(["--ids-file", file.path])
            #expect(none.status == 2)
            #expect(
                none.stderr
                    == "gateway-audit: error: --ids-file \(file.path) holds no id (only blank lines or # comments); "
                    + "list one id per line, or leave out --ids-file to collect the whole project\n")
            // Nothing was collected: no run, no database rows.
            let runs = try await e.cli(["runs", "--format", "csv"])
            #expect(runs.stdout.split(separator: "\r\n").count <= 1)
        }
    }

    @Test("--id values are trimmed like --ids-file lines; an id of a kind --kind left out is skipped: exit 1, named")
    func trimmedAndSkipped() async throws {
        try await EndToEnd.with { e in
            let gateway = Scenario.standardGatewayID(1).rawValue
            let connection = "9d3f6a21-2c4b-4e8d-a7f0-000000000003"
            let first = try await e.collect(["--id", " \(gateway)\t", "--id", connection, "--quiet"])
            #expect(first.status == 0, "\(first.stderr)")
            let resources = try await e.cli(["resources", "--format", "csv"])
            let rows = resources.stdout.split(separator: "\r\n").dropFirst().map(String.init)
            #expect(rows.contains { $0.hasPrefix("customer-gateway,\(gateway),present,") }, "\(rows)")

            // Quiet, as cron runs it: the one stderr line names the id left out, and the run is partial.
            let skipped = try await e.collect([
                "--id", gateway, "--id", connection, "--kind", "customer-gateway", "--quiet",
            ])
            #expect(skipped.status == 1, "\(skipped.stderr)")
            #expect(skipped.stdout.hasPrefix("run 2 partial: 1 observed, 1 unchanged"), "\(skipped.stdout)")
            #expect(
                skipped.stderr
                    == "gateway-audit: error: skipped \(connection): it is recorded as a VPN connection, a kind "
                    + "--kind left out; add --kind vpn-connection to fetch it\n")
        }
    }
}

@Suite("collect with GATEWAY_AUDIT_CONFIG set")
struct EstateVariableTests {
    @Test("one-project options on the command line win over GATEWAY_AUDIT_CONFIG; --config with them is refused")
    func explicitOptionsWin() async throws {
        try await EndToEnd.with { e in
            var environment = e.akskEnvironment
            environment["GATEWAY_AUDIT_CONFIG"] = e.directory.appendingPathComponent("no-such-estate.toml").path
            let id = Scenario.standardGatewayID(1).rawValue
            let single = try await e.collect(["--id", id, "--quiet"], environment: environment)
            #expect(single.status == 0, "\(single.stderr)")
            #expect(single.stdout.hasPrefix("run 1 complete: 1 observed, 0 unchanged, 0 changed, 1 new"))
            let both = try await e.collect(
                ["--config", e.directory.appendingPathComponent("estate.toml").path], environment: environment)
            #expect(both.status == 2)
            #expect(
                both.stderr.hasPrefix(
                    "gateway-audit: error: --endpoint, --project-id, --id and --ids-file are for one project"))
        }
    }
}

@Suite("collect over https:// to a server that speaks plain HTTP")
struct PlainHTTPServerTests {
    @Test("the error names the port and scheme, not certificates, and leaks no build paths")
    func notTLS() async throws {
        try await EndToEnd.with { e in
            let https = e.running.baseURLString.replacingOccurrences(of: "http://", with: "https://")
            let result = try await CLI.run(
                ["collect", "--endpoint", https, "--db", e.db, "--quiet"], environment: e.akskEnvironment)
            #expect(result.status != 0)
            #expect(
                result.stderr.contains(
                    "TLS failed (the server does not speak TLS on this port (WRONG_VERSION_NUMBER)); "
                        + "check the port and scheme of --endpoint"), "\(result.stderr)")
            #expect(!result.stderr.contains("certificate") && !result.stderr.contains(".cc:"), "\(result.stderr)")
        }
    }
}
