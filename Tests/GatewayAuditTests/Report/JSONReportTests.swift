import Foundation
import Testing

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("JSON twin: NDJSON keyed by the contract's columns, values as the CSV before neutralisation")
struct JSONReportTests {
    func lines(_ view: ReportView, zone: Zone = .utc) async throws -> [String] {
        let f = try await ReportFixture.build()
        let text = try ReportFixture.render(f.store, view, .json, zone: zone)
        // The fixture holds customer gateways only: the status view (VPN gateways, connections) is empty.
        #expect(view == .status ? text.isEmpty : text.hasSuffix("}\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test("exact lines of the changes view, in the chosen zone")
    func exactLines() async throws {
        let changes = try await lines(.changes, zone: try Zone(identifier: "Europe/Berlin"))
        #expect(
            changes.first
                == #"{"gateway_id":"gw-a","change":"first-seen","field":"","old_value":"","new_value":"","last_seen_before":"","first_seen_after":"2025-03-01T03:01:00+01:00","api_updated_at":"2024-06-25T13:19:37.335+02:00","resource_kind":"customer-gateway","account":"","region":"","project_id":"p"}"#
        )
        #expect(
            changes.last
                == #"{"gateway_id":"gw-b","change":"gone","field":"","old_value":"","new_value":"","last_seen_before":"2025-03-02T03:01:00+01:00","first_seen_after":"2025-03-04T03:01:00+01:00","api_updated_at":"","resource_kind":"customer-gateway","account":"","region":"","project_id":"p"}"#
        )
        #expect(
            changes.contains(
                #"{"gateway_id":"gw-a","change":"modified","field":"name","old_value":"alpha","new_value":"alpha-renamed","last_seen_before":"2025-03-02T03:01:00+01:00","first_seen_after":"2025-03-03T03:01:00+01:00","api_updated_at":"2025-03-03T00:00:00.123456789+01:00","resource_kind":"customer-gateway","account":"","region":"","project_id":"p"}"#
            ))
    }

    @Test(
        "every line's keys are the view's columns in order, as many lines as CSV rows", arguments: ReportView.allCases)
    func keysAreColumns(view: ReportView) async throws {
        let json = try await lines(view)
        let f = try await ReportFixture.build()
        let csvRows = try ReportFixture.render(f.store, view, .csv).components(separatedBy: "\r\n").count - 2
        #expect(json.count == csvRows)
        for line in json {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(Set(object.keys) == Set(view.columns), "\(line)")
            var position = line.startIndex
            for column in view.columns {
                let key = try #require(line.range(of: "\"\(column)\":\"", range: position..<line.endIndex), "\(column)")
                position = key.upperBound
            }
        }
    }

    @Test("hostile values come back exactly: no formula neutralisation, escaped JSON strings")
    func hostileValues() async throws {
        let names = try await lines(.history).compactMap { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])?["name"]
        }
        for name in ReportFixture.hostileNames { #expect(names.contains(name), "lost \(name)") }
        let history = try await lines(.history)
        #expect(history.contains { $0.contains(#""name":"=HYPERLINK(\"http://x\")""#) })
        #expect(history.contains { $0.contains(#""name":"line one\nline two""#) })
    }

    @Test("the JSON file gets a manifest like the other formats, named .ndjson")
    func manifest() async throws {
        let f = try await ReportFixture.build()
        let options = ReportOptions(view: .changes, format: .json, generatedAt: ReportFixture.generatedAt)
        #expect(options.defaultFileName == "changes.UTC.ndjson")
        let path = f.directory.appendingPathComponent(options.defaultFileName).path
        let manifest = try ReportExport.write(store: f.store, options: options, to: path)
        #expect(manifest.format == .json && manifest.rows == 17)
        let check = try ReportExport.verify(path: path, publicKeyPath: nil, store: f.store)
        #expect(check.problems.isEmpty)
    }
}
