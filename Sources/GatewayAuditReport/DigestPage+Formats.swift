import GatewayAuditCore
import GatewayAuditStore
import Mustache

extension DigestPage {
    /// Plain text for cron mail or a chat message: a headline, then each resource and its lines.
    public var text: String {
        guard !isEmpty else { return "" }
        var lines = ["gateway-audit digest, \(runsText), times in \(zone.identifier): \(headline)"]
        for resource in resources {
            lines.append("")
            let id = TerminalText.line(resource.gatewayID.rawValue)
            lines.append(resource.name.map { "\(TerminalText.line($0)) (\(id))" } ?? id)
            for row in resource.changes { lines.append("  \(describe(row)), \(window(row))") }
            for anomaly in resource.anomalies {
                lines.append(
                    "  anomaly \(anomaly.kind.rawValue) on \(TerminalText.line(anomaly.field)): "
                        + TerminalText.line(anomaly.detail))
            }
            for failure in resource.failures {
                lines.append(
                    "  failed at \(cells.time(failure.observedAt)) (run \(failure.run)): \(TerminalText.line(failure.error))"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The NDJSON keys, one object per change, anomaly and failed observation (reports/README.md).
    public static let jsonKeys = [
        "event", "gateway_id", "name", "field", "old_value", "new_value", "last_seen_before", "first_seen_after",
        "run", "detail",
    ]

    /// NDJSON: one object per change or event, anomaly and failed observation, keys ``jsonKeys``, values
    /// as text (empty when absent), times in the zone.
    public var json: String {
        var writer = JSONLinesWriter(output: "", keys: DigestPage.jsonKeys)
        for resource in resources {
            let id = resource.gatewayID.rawValue
            let name = resource.name ?? ""
            for row in resource.changes {
                writer.writeRow([
                    row.change.rawValue, id, name, row.field, row.oldValue ?? "", row.newValue ?? "",
                    row.lastSeenBefore.map(cells.time) ?? "", cells.time(row.firstSeenAfter), String(row.firstRunAfter),
                    "",
                ])
            }
            for anomaly in resource.anomalies {
                writer.writeRow(
                    [
                        "anomaly", id, name, anomaly.field, "", "", "", "", "",
                        "\(anomaly.kind.rawValue): \(anomaly.detail)",
                    ])
            }
            for failure in resource.failures {
                writer.writeRow([
                    "failed", id, name, "", "", "", "", cells.time(failure.observedAt), String(failure.run),
                    failure.error,
                ])
            }
        }
        return writer.output
    }

    /// E-mail-safe HTML: inline styles only (mail clients drop `<style>` and scripts), no script, no
    /// external loads; old → new with the changed part marked as on the dashboard.
    /// - Throws: a template error (the template is compiled in, so only a bug).
    public func html() throws -> String {
        guard !isEmpty else { return "" }
        let template = try MustacheTemplate(string: DigestTemplate.page)
        let items = resources.map { resource in
            var lines = resource.changes.map(line)
            for anomaly in resource.anomalies {
                lines.append(
                    DigestTemplate.Line(
                        label: "anomaly \(anomaly.kind.rawValue) on \(anomaly.field)", hasDiff: false, old: [], new: [],
                        note: DigestPage.words(HTMLRenderer.printable(anomaly.detail)), warn: true))
            }
            for failure in resource.failures {
                lines.append(
                    DigestTemplate.Line(
                        label: "failed at \(cells.time(failure.observedAt)) (run \(failure.run))", hasDiff: false,
                        old: [], new: [], note: DigestPage.words(HTMLRenderer.printable(failure.error)), warn: true))
            }
            return DigestTemplate.Resource(
                name: HTMLRenderer.printable(resource.name ?? resource.gatewayID.rawValue),
                id: HTMLRenderer.printable(resource.gatewayID.rawValue), lines: lines)
        }
        return template.render(
            DigestTemplate.Page(
                title: "gateway-audit digest, \(runsText)", zone: zone.identifier, headline: headline,
                version: GatewayAuditVersion.current, resources: items))
    }

    private func line(_ row: ChangeRow) -> DigestTemplate.Line {
        guard !row.field.isEmpty else {
            return DigestTemplate.Line(
                label: HTMLRenderer.printable(describe(row)), hasDiff: false, old: [], new: [],
                note: DigestPage.words(window(row)),
                warn: row.change == .gone)
        }
        let diff = ValueDiff(
            old: HTMLRenderer.printable(row.oldValue ?? ""), new: HTMLRenderer.printable(row.newValue ?? ""))
        return DigestTemplate.Line(
            label: "\(HTMLRenderer.printable(row.field)) \(row.change.rawValue)", hasDiff: true,
            old: diff.old.map { HTMLRenderer.segment($0.text, deleted: $0.changed) },
            new: diff.new.map { HTMLRenderer.segment($0.text, inserted: $0.changed) },
            note: DigestPage.words(window(row)), warn: false)
    }

    static func words(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init)
    }
}
