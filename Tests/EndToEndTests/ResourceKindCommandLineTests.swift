import Foundation
import GatewayAudit
import Testing
import VPNSimulator

@Suite("collect, report and resources with three resource kinds, through the binary")
struct ResourceKindCommandLineTests {
    @Test("a 403 on one kind's list skips that kind with one stderr line, stores the others, exit 1")
    func forbiddenKind() async throws {
        try await EndToEnd.with { e in
            _ = await e.cloud.addFault(FaultRule(.forbidden, routes: [.listConnections]))
            let result = try await e.collect(["--quiet"])
            #expect(result.status == 1)
            #expect(
                result.stdout.hasPrefix("run 1 partial: 16 observed, 0 unchanged, 0 changed, 16 new, 0 gone, 0 failed"))
            #expect(
                result.stderr
                    == "gateway-audit: error: skipped VPN connections this run: the API refused their list with 403 (VPN.0003); "
                    + "grant the IAM user read access to VPN connections (VPN read-only policy), or leave them out with --kind\n"
            )
            #expect(
                try sqlite3(e.db, "SELECT kind, COUNT(*) FROM gateway GROUP BY kind ORDER BY kind")
                    == "customer-gateway|13\nvpn-gateway|3")
            let runs = try await e.cli(["runs", "--format", "csv"])
            #expect(runs.stdout.contains("skipped VPN connections this run"))
        }
    }

    @Test("--kind narrows collection; history takes one --kind; resources lists each kind")
    func kindFlags() async throws {
        try await EndToEnd.with { e in
            let only = try await e.collect(["--kind", "vpn-gateway", "--kind", "vpn-connection", "--quiet"])
            #expect(only.status == 0)
            #expect(only.stdout.hasPrefix("run 1 complete: 10 observed, 0 unchanged, 0 changed, 10 new"))
            let both = try await e.cli(["report", "history", "--kind", "vpn-gateway", "--kind", "vpn-connection"])
            #expect(both.status == 2)
            #expect(
                both.stderr.contains(
                    "history shows one kind at a time (each has its own columns): pass one --kind, e.g. --kind vpn-connection"
                ))
            let unknown = try await e.cli(["report", "changes", "--kind", "tunnel"])
            #expect(unknown.status == 2)
            let history = try await e.cli(["report", "history", "--kind", "vpn-connection", "--output", "-"])
            #expect(history.status == 0)
            #expect(history.stdout.hasPrefix(ReportView.history.columns(for: .vpnConnection).joined(separator: ",")))
            #expect(history.stdout.split(separator: "\r\n").count == 8)
            let resources = try await e.cli(["resources", "--format", "csv"])
            let rows = resources.stdout.split(separator: "\r\n").dropFirst()
            #expect(rows.filter { $0.hasPrefix("vpn-connection,") }.count == 7)
            #expect(rows.filter { $0.hasPrefix("vpn-gateway,") }.count == 3)
            #expect(rows.allSatisfy { !$0.hasPrefix("customer-gateway,") })
            #expect(
                rows.filter { $0.hasPrefix("vpn-connection,") }.allSatisfy {
                    $0.contains(",present,ACTIVE,") || $0.contains(",present,DOWN,")
                })
        }
    }

    @Test("--id of a connection and a VPN gateway on an empty history: each found under its own kind, then listed")
    func idsOfOtherKinds() async throws {
        try await EndToEnd.with { e in
            let connection = "9d3f6a21-2c4b-4e8d-a7f0-000000000003"
            let gateway = "4b7e2c10-8d5a-4f36-b1c9-000000000001"
            let byID = try await e.collect(["--id", connection, "--id", gateway, "--quiet"])
            #expect(byID.status == 0, "\(byID.stderr)")
            let resources = try await e.cli(["resources", "--format", "csv"])
            let rows = resources.stdout.split(separator: "\r\n").dropFirst().map(String.init)
            #expect(rows.contains { $0.hasPrefix("vpn-connection,\(connection),present,ACTIVE,munich-policy,") })
            #expect(rows.contains { $0.hasPrefix("vpn-gateway,\(gateway),present,ACTIVE,vgw-frankfurt-prod,") })
            #expect(rows.count == 2)
            // The next listing run agrees: no id is recorded under a kind it is not.
            let listed = try await e.collect(["--quiet"])
            #expect(listed.status == 0, "\(listed.stderr)")
        }
    }

    @Test("an id no run has seen that is found as no kind is a failed lookup (exit 1), never a gone resource")
    func mistypedID() async throws {
        try await EndToEnd.with { e in
            let present = Scenario.standardGatewayID(1).rawValue
            let byID = try await e.collect(["--id", present, "--id", "no-such-id", "--quiet"])
            #expect(byID.status == 1)
            #expect(byID.stdout.hasPrefix("run 1 partial: 2 observed, 0 unchanged, 0 changed, 1 new, 0 gone, 1 failed"))
            #expect(
                byID.stderr
                    == "gateway-audit: error: 1 resource(s) could not be fetched and were recorded as failed "
                    + "observations; the others are stored; the first, no-such-id: not found: no customer gateway, "
                    + "VPN gateway or VPN connection has this id in project \(e.cloud.projectID) (HTTP 404); check "
                    + "the id: an id is recorded as gone only once a run has seen it\n")
            // Asked as one kind, the reason names that kind; nothing about the id is ever gone.
            let asConnection = try await e.collect(["--id", "no-such-id", "--kind", "vpn-connection", "--quiet"])
            #expect(asConnection.status == 1)
            #expect(asConnection.stderr.contains("no-such-id: not found: no VPN connection has this id in project"))
            let resources = try await e.cli(["resources", "--format", "csv"])
            let rows = resources.stdout.split(separator: "\r\n").dropFirst().map(String.init)
            #expect(rows.count == 2)
            // The row holds the first kind asked: a guess, until a lookup answers.
            #expect(rows.contains { $0.hasPrefix("customer-gateway,no-such-id,unknown,,,,,0") }, "\(rows)")
            #expect(try await e.cli(["verify"]).status == 0)
        }
    }

    @Test("a 404 from the gateway layer (a wrong endpoint path) is a failed lookup, never a departure")
    func gatewayLayerNotFound() async throws {
        try await EndToEnd.with { e in
            let id = Scenario.standardGatewayID(1).rawValue
            #expect(try await e.collect(["--id", id, "--quiet"]).status == 0)
            let wrong = try await CLI.run(
                ["collect", "--endpoint", e.running.baseURLString + "/wrong", "--db", e.db, "--id", id, "--quiet"],
                environment: e.akskEnvironment)
            #expect(wrong.status == 1)
            #expect(
                wrong.stdout.hasPrefix("run 2 partial: 1 observed, 0 unchanged, 0 changed, 0 new, 0 gone, 1 failed"))
            #expect(wrong.stderr.contains("the first, \(id): HTTP 404 APIGW.0101"), "\(wrong.stderr)")
            let resources = try await e.cli(["resources", "--format", "csv"])
            let rows = resources.stdout.split(separator: "\r\n").dropFirst().map(String.init)
            #expect(rows.count == 1)
            #expect(rows.first?.hasPrefix("customer-gateway,\(id),present,") == true, "\(rows)")
        }
    }
}
