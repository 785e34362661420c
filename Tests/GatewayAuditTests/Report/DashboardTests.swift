import Crypto
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import GatewayAudit
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("HTML dashboard: summary, index, collapsed quiet gateways, hashed script, marked diffs")
struct DashboardTests {
    func page(_ view: ReportView = .history, zone: Zone = .utc) async throws -> (html: String, doc: ElementCollector) {
        let f = try await ReportFixture.build()
        let html = try ReportFixture.render(f.store, view, .html, zone: zone)
        let parser = XMLParser(data: Data(html.utf8))
        let doc = ElementCollector()
        parser.delegate = doc
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        return (html, doc)
    }

    @Test("the CSP allows exactly the page's one script, by the SHA-256 of its text", arguments: ReportView.allCases)
    func scriptHash(view: ReportView) async throws {
        let (html, doc) = try await page(view)
        #expect(doc.elements.filter { $0 == "script" }.count == 1)
        let start = try #require(html.range(of: "<script>")).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let script = String(html[start..<end])
        #expect(script == DashboardScript.source)
        let hash = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
        let csp = try #require(doc.attributes.first { $0["http-equiv"] == "Content-Security-Policy" }?["content"])
        #expect(
            csp
                == "default-src 'none'; script-src 'sha256-\(hash)'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
        )
        #expect(!script.contains("<") && !script.contains("&"), "the script must keep the page well-formed XML")
    }

    @Test(
        "nothing is loaded from outside: no src, no external href, no url() in styles", arguments: ReportView.allCases)
    func selfContained(view: ReportView) async throws {
        let (html, doc) = try await page(view)
        for element in ["link", "img", "iframe", "object", "embed", "audio", "video", "source", "base", "form"] {
            #expect(!doc.elements.contains(element), "\(element)")
        }
        #expect(!doc.attributes.contains { $0["src"] != nil })
        #expect(doc.attributes.compactMap { $0["href"] }.allSatisfy { $0.hasPrefix("#") })
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
    }

    @Test("summary first, then the index with changed gateways first; quiet gateways collapsed, changed open")
    func layout() async throws {
        let (html, _) = try await page()
        let summary = try #require(html.range(of: "<h2>Summary</h2>")).lowerBound
        let index = try #require(html.range(of: "<h2>Index</h2>")).lowerBound
        let firstSection = try #require(html.range(of: "<section id=\"gw-")).lowerBound
        #expect(summary < index && index < firstSection)
        #expect(html.contains("<dt>resources</dt><dd>13</dd>"))
        #expect(html.contains("<div class=\"warn\"><dt>gone</dt><dd>1</dd></div>"))
        #expect(html.contains("<div class=\"warn\"><dt>failed observations</dt><dd>1</dd></div>"))
        // gw-b went gone on night 4, gw-a changed on night 3: latest change first.
        let links = html.components(separatedBy: "<td><a href=\"#gw-").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(Array(links.prefix(2)) == ["gw-b", "gw-a"])
        #expect(html.contains("<section id=\"gw-gw-a\" class=\"res\"><details open=\"\">"))
        #expect(html.contains("<section id=\"gw-gw-legacy\" class=\"res\"><details open=\"\">"), "anomalies: open")
        // Quiet gateways: one row each in one collapsed table, linkable by id, no section of their own.
        #expect(html.contains("<section id=\"quiet\" class=\"res\"><details>\n<summary><h2>"))
        #expect(html.contains("<tr id=\"gw-gw-h1\"><td>gw-h1</td>"))
        #expect(!html.contains("<section id=\"gw-gw-h1\""))
        #expect(!links.contains("gw-h1"))
    }

    @Test("a value every quiet row shares is said once above the quiet table; CSV keeps it in every row")
    func quietCommonValues() async throws {
        let (html, _) = try await page()
        let quiet = String(html[try #require(html.range(of: "<section id=\"quiet\"")).lowerBound...])
        #expect(
            quiet.contains(
                "<p class=\"sub\">The same in every row: <span class=\"nw\"><b>state</b> present</span> "
                    + "<span class=\"nw\"><b>first_seen</b> 2025-03-01T02:01:00Z</span>"))
        #expect(quiet.contains("<thead><tr><th>gateway_id</th><th>name</th><th>content_sha256</th></tr></thead>"))
        #expect(quiet.contains("<tr id=\"gw-gw-h1\"><td>gw-h1</td><td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
        let f = try await ReportFixture.build()
        let csv = try ReportFixture.render(f.store, .history, .csv, zone: .utc)
        let h1 = try #require(csv.split(separator: "\r\n").first { $0.hasPrefix("gw-h1,") })
        #expect(h1.hasPrefix("gw-h1,present,2025-03-01T02:01:00Z,"), "\(h1)")
    }

    @Test("the id is shown once in each section heading, not as a table column (CSV keeps it)")
    func idOnce() async throws {
        let (html, _) = try await page()
        let sections = try #require(html.components(separatedBy: "<section id=\"quiet\"").first)
        #expect(!sections.contains("<th>gateway_id</th>"))
        #expect(html.contains("<th>state</th><th>first_seen</th>"))
        let f = try await ReportFixture.build()
        #expect(try ReportFixture.render(f.store, .history, .csv).hasPrefix("gateway_id,state,first_seen"))
    }

    @Test("a changed value is shown old → new with only the changed tokens marked")
    func diffs() async throws {
        let diff = ValueDiff(old: "CN=corp-root-2024", new: "CN=corp-root-2025")
        #expect(diff.old == [.init(text: "CN=corp-root-", changed: false), .init(text: "2024", changed: true)])
        #expect(diff.new == [.init(text: "CN=corp-root-", changed: false), .init(text: "2025", changed: true)])
        let tags = ValueDiff(old: "env=prod;team=blue", new: "env=prod;team=red")
        #expect(tags.new.map(\.text) == ["env=prod;team=", "red"])
        #expect(ValueDiff(old: "", new: "x").new == [.init(text: "x", changed: true)])
        let (html, _) = try await page()
        #expect(html.contains("<td class=\"ch\">alpha<ins>-renamed</ins></td>"))
        let (timestamps, _) = try await page(.timestamps)
        #expect(
            timestamps.contains(
                "<li><b>name</b> <span class=\"sub\">modified <span class=\"nw\">2025-03-02T02:01:00Z</span> – <span class=\"nw\">2025-03-03T02:01:00Z</span></span>: <span>alpha</span> → <span>alpha<ins>-renamed</ins></span></li>"
            ))
        let (changes, _) = try await page(.changes)
        #expect(changes.contains("<td><del>01</del></td><td class=\"ch\"><ins>02</ins></td>"))
    }

    @Test("the timeline has date ticks in the zone and a tooltip on every band and mark")
    func timeline() async throws {
        let (html, doc) = try await page(zone: try Zone(identifier: "Europe/Berlin"))
        #expect(html.contains(".tk i:nth-child(1){left:"))
        #expect(html.contains("::after{content:\"2025-03-02\"}"))
        let rects = doc.elements.filter { $0 == "rect" }.count
        let titles = doc.elements.filter { $0 == "title" }.count
        #expect(rects > 0 && titles == rects + 1, "one <title> per band and mark, plus the page's")
        #expect(html.contains("name modified: alpha → alpha-renamed"))
    }

    @Test("headers, ids and times never break inside a word; long lists wrap after separators")
    func wrapping() async throws {
        #expect(DashboardStyle.css.contains("white-space:nowrap"))
        #expect(DashboardStyle.css.contains("word-break:keep-all"))
        #expect(!DashboardStyle.css.contains("overflow-wrap:anywhere") && !DashboardStyle.css.contains("break-all"))
        let cell = HTMLRenderer.cell(
            "env=production;team=network-operations;cost=4711", highlighted: false, segments: nil)
        #expect(cell.cls == "w")
        #expect(cell.segs.map(\.t) == ["env=production;", "team=network-operations;", "cost=4711"])
        #expect(HTMLRenderer.cell("2025-03-03T02:01:00.123456789+01:00", highlighted: false, segments: nil).cls == "")
        let hash = String(repeating: "0123456789abcdef", count: 4)
        #expect(HTMLRenderer.cell(hash, highlighted: false, segments: nil).text == "0123456789ab…")
    }
}
