import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

/// Collects element names and text from a document through a real XML parser.
final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var text = ""
    var attributes: [[String: String]] = []

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(name)
        self.attributes.append(attributes)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

@Suite("HTML reports: self-contained, escaped, parseable")
struct HTMLReportTests {
    func parse(_ html: String) throws -> ElementCollector {
        let parser = XMLParser(data: Data(html.utf8))
        let collector = ElementCollector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        return collector
    }

    @Test("golden files for all three views", arguments: ReportView.allCases)
    func golden(view: ReportView) async throws {
        let f = try await ReportFixture.build()
        let html = try ReportFixture.render(f.store, view, .html, zone: try Zone(identifier: "Europe/Berlin"))
        try ReportFixture.expectGolden(html, "\(view.rawValue).Europe-Berlin.html")
    }

    @Test("parses as XML; only the page's own script; hostile names appear as text", arguments: ReportView.allCases)
    func safe(view: ReportView) async throws {
        let f = try await ReportFixture.build()
        let html = try ReportFixture.render(f.store, view, .html)
        let doc = try parse(html)
        #expect(doc.elements.filter { $0 == "script" }.count == 1)
        #expect(doc.elements.contains("svg"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || view != .history)
        for name in ReportFixture.hostileNames where view == .history {
            #expect(doc.text.contains(name), "missing \(name)")
        }
        let csp = doc.attributes.first { $0["http-equiv"] == "Content-Security-Policy" }?["content"]
        #expect(csp?.hasPrefix("default-src 'none'") == true)
        #expect(
            !doc.attributes.contains { $0.values.contains { $0.contains("http://") || $0.contains("https://") } },
            "no attribute may point outside the file")
        #expect(!doc.elements.contains("link") && !doc.elements.contains("img") && !doc.elements.contains("iframe"))
    }

    @Test("a terminal line shows a tab as a space (table columns count one character each), escapes as U+FFFD")
    func terminalTab() {
        #expect(TerminalText.line("tab\there\u{1B}[31mred") == "tab here\u{FFFD}[31mred")
        #expect(TerminalText.line("a\r\nb\u{202E}") == "a⏎b\u{FFFD}")
    }

    @Test("bidirectional overrides and isolates cannot reorder what a page shows: they become U+FFFD")
    func bidiControls() {
        #expect(HTMLRenderer.printable("vpn-old\u{202E}") == "vpn-old\u{FFFD}")
        #expect(HTMLRenderer.printable("a\u{2066}b\u{2069}c\u{202A}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
        // Right-to-left text itself is kept: only the invisible controls go.
        #expect(HTMLRenderer.printable("שלום vpn") == "שלום vpn")
    }

    @Test("states the zone, shows changes highlighted, explains anomalies, marks failures")
    func content() async throws {
        let f = try await ReportFixture.build()
        let html = try ReportFixture.render(f.store, .history, .html, zone: try Zone(identifier: "Asia/Kolkata"))
        #expect(html.contains("Times in <b>Asia/Kolkata</b>"))
        #expect(html.contains("<td class=\"ch\">alpha<ins>-renamed</ins></td>"))
        #expect(html.contains(AnomalyKind.offsetRelabelled.explanation))
        #expect(html.contains("HTTP 503 VPN.0002 after 4 attempts"))
        #expect(html.contains("class=\"bg\""))
    }
}

@Suite("When did this gateway change?")
struct WhenChangedTests {
    @Test("text and JSON list the changes with windows and the updated_at check")
    func report() async throws {
        let f = try await ReportFixture.build()
        let report = try WhenChangedReport(
            store: f.store, gatewayID: "gw-a", field: "name", zone: try Zone(identifier: "Europe/Berlin"))
        #expect(report.entries.count == 1)
        let entry = try #require(report.entries.first)
        #expect(entry.lastSeenBefore == "2025-03-02T03:01:00+01:00")
        #expect(entry.firstSeenAfter == "2025-03-03T03:01:00+01:00")
        #expect(entry.apiUpdatedAt == "2025-03-03T00:00:00.123456789+01:00")
        #expect(entry.updatedAtCheck == .consistent)
        #expect(
            report.text.split(separator: "\n").first
                == "gw-a (alpha-renamed): 1 change(s) of name, times in Europe/Berlin")
        #expect(
            report.json()
                == #"{"gateway_id":"gw-a","change":"modified","field":"name","old_value":"alpha","new_value":"alpha-renamed","last_seen_before":"2025-03-02T03:01:00+01:00","first_seen_after":"2025-03-03T03:01:00+01:00","api_updated_at":"2025-03-03T00:00:00.123456789+01:00","resource_kind":"customer-gateway","account":"","region":"","project_id":"p","last_run_before":"2","first_run_after":"3","updated_at_check":"consistent","connections":""}"#
                + "\n")
        let all = try WhenChangedReport(store: f.store, gatewayID: "gw-a")
        #expect(all.entries.map(\.field) == ["", "ca_certificate.expire_time", "ca_certificate.serial_number", "name"])
    }

    @Test("an unknown id says how to find ids")
    func unknown() async throws {
        let f = try await ReportFixture.build()
        #expect(throws: ReportError.unknownGateway("nope")) { try WhenChangedReport(store: f.store, gatewayID: "nope") }
        #expect(
            ReportError.unknownGateway("nope").description
                == "no gateway \"nope\" in this database; `gateway-audit gateways` lists the known ids")
    }

    @Test("a resource's exact latest name finds it; a near miss names what it may mean")
    func byName() async throws {
        let f = try await ReportFixture.build()
        let byID = try WhenChangedReport(store: f.store, gatewayID: "gw-a", field: "name")
        let byName = try WhenChangedReport(store: f.store, gatewayID: "alpha-renamed", field: "name")
        #expect(byName.gatewayID == "gw-a" && byName.text == byID.text)
        // Names are matched exactly; one differing in case is offered, not taken.
        let hint = "; did you mean \"gw-a\" (alpha-renamed)? `gateway-audit gateways` lists the known ids"
        #expect(throws: ReportError.unknownGateway("ALPHA-renamed", candidates: [#""gw-a" (alpha-renamed)"#])) {
            try WhenChangedReport(store: f.store, gatewayID: "ALPHA-renamed")
        }
        #expect(
            ReportError.unknownGateway("ALPHA-renamed", candidates: [#""gw-a" (alpha-renamed)"#]).description
                == "no gateway \"ALPHA-renamed\" in this database" + hint)
        // A typo in a name or an id: what is a few edits away, the closest first; nothing when nothing is.
        #expect(throws: ReportError.unknownGateway("alpha-renamd", candidates: [#""gw-a" (alpha-renamed)"#])) {
            try WhenChangedReport(store: f.store, gatewayID: "alpha-renamd")
        }
        #expect(throws: ReportError.unknownGateway("zz-renamed-beta", candidates: [])) {
            try WhenChangedReport(store: f.store, gatewayID: "zz-renamed-beta")
        }
        // A truncated id: the first three it begins, in id order, then how many more (names on one line).
        do {
            _ = try WhenChangedReport(store: f.store, gatewayID: "GW-H")
            Issue.record("a prefix is not an id")
        } catch let error as ReportError {
            #expect(
                error.description
                    == #"no gateway "GW-H" in this database; did you mean "gw-h0" (=HYPERLINK("http://x")), "#
                    + #""gw-h1" (<script>alert(1)</script>), "gw-h2" ("quoted, name"), 7 more? "#
                    + "`gateway-audit gateways` lists the known ids")
        }
        let lines = try WhenChangedReport.resolve("line one\nline two", in: f.store, scopes: ScopeFilter())
        #expect(lines.0 == "gw-h3")
        // A name with a line break is offered on the error's one line.
        #expect(throws: ReportError.unknownGateway("LINE ONE\nLINE TWO", candidates: [#""gw-h3" (line one⏎line two)"#]))
        {
            try WhenChangedReport(store: f.store, gatewayID: "LINE ONE\nLINE TWO")
        }
        // A name that only resources outside --account, --region or --project have is refused as out of scope.
        do {
            _ = try WhenChangedReport(
                store: f.store, gatewayID: "alpha-renamed", scopes: ScopeFilter(projectID: "other"))
            Issue.record("a resource outside the scopes was reported")
        } catch ReportError.outsideScopes(let id, _) {
            #expect(id == "gw-a")
        }
    }

    @Test("a name kept by a gone resource and a present one is the present one's; one shared by two is asked by id")
    func sharedName() async throws {
        let f = try StoreFixture()
        let night1 = try [("x", "edge"), ("y", "edge"), ("z", "dup"), ("w", "dup")].map { id, name in
            try standardGateway(id: id, name: name)
        }
        try await f.run(night: 1, night1.map { .present($0) }, ids: night1.map(\.id))
        var night2: [Observation.Result] = night1.map { .present($0) }
        night2[0] = .gone
        try await f.run(night: 2, night2, ids: night1.map(\.id))
        #expect(try WhenChangedReport.resolve("edge", in: f.store, scopes: ScopeFilter()).0 == "y")
        let shared = ReportError.ambiguousName("dup", count: 2, candidates: [#""w" (dup)"#, #""z" (dup)"#])
        #expect(throws: shared) { try WhenChangedReport(store: f.store, gatewayID: "dup") }
        #expect(
            shared.description
                == #""dup" is the name of 2 resources: "w" (dup), "z" (dup); ask by id (`gateway-audit gateways` lists them)"#
        )
        #expect(throws: ReportError.unknownGateway("EDGE", candidates: [#""x" (edge, gone)"#, #""y" (edge)"#])) {
            try WhenChangedReport(store: f.store, gatewayID: "EDGE")
        }
    }
}
