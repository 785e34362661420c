import Foundation
import GatewayAudit
import GatewayAuditOperations

extension ReportCommand {
    /// `report digest`: the runs' digest (the one notifications carry) per gateway, on standard output
    /// or into `--output`; nothing at all when there is nothing to report (an empty `--output` file, so a
    /// page or mailer reading it never shows an earlier digest as the latest).
    ///
    /// By default the last night: the latest run of each scope (`--account`, `--region`, `--project` keep
    /// some), among the runs started within a day of the latest one; only resources of `--kind` when given.
    func runDigest() throws {
        let zone = zoneOption.tz
        let store = try database.openForReading()
        let runs = try store.runs().filter { scopes.filter.matches($0.scopeKey) }
        guard let latest = runs.first else { return try writeDigest(nil) }
        var first: Int64
        var last = latest.id
        var only: Set<Int64>?
        if let sinceRun {
            first = sinceRun
        } else if let since {
            let from = since.instant(in: zone, endOfDay: false)
            guard let earliest = runs.filter({ $0.startedAt >= from }).map(\.id).min() else {
                return try writeDigest(nil)
            }
            first = earliest
        } else {
            // Last night: each scope's latest run, of those started within a day of the latest start (an
            // import's backfilled runs start long before their ids).
            let latestStart = runs.map(\.startedAt).max() ?? latest.startedAt
            let night = latestStart.adding(seconds: -Self.nightSeconds)
            var latestOfScope: [ScopeKey: Int64] = [:]
            for run in runs where run.startedAt >= night && latestOfScope[run.scopeKey] == nil {
                latestOfScope[run.scopeKey] = run.id
            }
            let ids = Set(latestOfScope.values)
            (first, last, only) = (ids.min() ?? latest.id, ids.max() ?? latest.id, ids)
        }
        guard first <= last else { return try writeDigest(nil) }
        let digest = try RunDigest.load(
            runs: first, through: last, from: store, scopes: scopes.filter, only: only, kinds: kinds)
        var names: [GatewayID: String] = [:]
        for gateway in try store.gateways() { names[gateway.gatewayID] = gateway.name }
        let page = DigestPage(
            firstRun: digest.firstRunID, lastRun: digest.runID, changes: digest.changes, failures: digest.failures,
            anomalies: digest.anomalies, names: names, zone: zone)
        try writeDigest(page.isEmpty ? nil : page)
    }

    /// How far back from the latest run the default digest looks for the other scopes' latest runs.
    static let nightSeconds: Int64 = 24 * 3600

    /// Prints `page`, or writes it into `--output` (an empty file for none).
    private func writeDigest(_ page: DigestPage?) throws {
        let text: String
        switch (page, format) {
        case (nil, _): text = ""
        case (let page?, .html?): text = try page.html()
        case (let page?, .json?): text = page.json
        case (let page?, _): text = page.text
        }
        if let output, output != "-" {
            let file = try ReportFile(path: output)
            file.write(text)
            try file.commit()
            let what = page.map(runsPhrase) ?? "empty: nothing to report"
            FileHandle.standardError.write(Data("wrote \(output) (\(what))\n".utf8))
        } else if !text.isEmpty {
            let stdout = StandardOutput()
            stdout.write(text)
            stdout.flush()
        }
    }

    private func runsPhrase(_ page: DigestPage) -> String {
        page.firstRun == page.lastRun ? "run \(page.lastRun)" : "runs \(page.firstRun)–\(page.lastRun)"
    }
}
