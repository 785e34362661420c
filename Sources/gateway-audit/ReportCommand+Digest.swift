import Foundation
import GatewayAudit
import GatewayAuditOperations

extension ReportCommand {
    /// `report digest`: the runs' digest (the one notifications carry) per gateway, on standard output
    /// or into `--output`; nothing at all when there is nothing to report.
    func runDigest() throws {
        let zone = zoneOption.tz
        let store = try database.openForReading()
        guard let latest = try store.runs(limit: 1).first else { return }
        let first: Int64
        if let sinceRun {
            first = sinceRun
        } else if let since {
            let from = since.instant(in: zone, endOfDay: false)
            guard let earliest = try store.runs().filter({ $0.startedAt >= from }).map(\.id).min() else { return }
            first = earliest
        } else {
            first = latest.id
        }
        guard first <= latest.id else { return }
        let digest = try RunDigest.load(runs: first, through: latest.id, from: store)
        var names: [GatewayID: String] = [:]
        for gateway in try store.gateways() { names[gateway.gatewayID] = gateway.name }
        let page = DigestPage(
            firstRun: digest.firstRunID, lastRun: digest.runID, changes: digest.changes, failures: digest.failures,
            anomalies: digest.anomalies, names: names, zone: zone)
        guard !page.isEmpty else { return }
        let text: String
        switch format {
        case .html?: text = try page.html()
        case .json?: text = page.json
        default: text = page.text
        }
        if let output, output != "-" {
            let file = try ReportFile(path: output)
            file.write(text)
            try file.commit()
            FileHandle.standardError.write(Data("wrote \(output) (\(runsPhrase(page)))\n".utf8))
        } else {
            let stdout = StandardOutput()
            stdout.write(text)
            stdout.flush()
        }
    }

    private func runsPhrase(_ page: DigestPage) -> String {
        page.firstRun == page.lastRun ? "run \(page.lastRun)" : "runs \(page.firstRun)–\(page.lastRun)"
    }
}
