import Foundation
import GatewayAudit
import VPNSimulator

extension Stages {
    /// `gateway-audit import` of nightly files against `git-history` on the same files committed to a
    /// git repository (the git-scraping way): time and database size.
    func peer(gateways count: Int, nights: Int, into table: inout BenchTable) throws {
        guard let gitHistory = ChildProcess.which("git-history"),
            let git = ChildProcess.which("git")
        else {
            table.add(
                BenchRow(
                    stage: "peer: import vs git-history", figure: "-",
                    reference: "git-history not installed (pip install git-history)",
                    ratio: nil, target: "≤ 0.1, ≤ 1.0×", met: nil))
            return
        }
        let folder = path("peer")
        let nightsFolder = (folder as NSString).appendingPathComponent("nights")
        let files = try GenerateYear.write(gateways: count, nights: nights, seed: 7, to: nightsFolder)
        let repo = (folder as NSString).appendingPathComponent("repo")
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        _ = ChildProcess.run(git, ["-C", repo, "init", "-q", "-b", "main"])
        let target = (repo as NSString).appendingPathComponent("gateways.json")
        for (night, file) in files.enumerated() {
            let page = try JSONValue(data: Data(contentsOf: URL(fileURLWithPath: file)))
            try Data((page["customer_gateways"] ?? .array([])).canonicalJSON.utf8).write(
                to: URL(fileURLWithPath: target))
            _ = ChildProcess.run(git, ["-C", repo, "add", "gateways.json"])
            let date = SyntheticYear.runTime(ofNight: night).iso8601()
            _ = ChildProcess.run(
                "/usr/bin/env",
                [
                    "GIT_AUTHOR_DATE=\(date)", "GIT_COMMITTER_DATE=\(date)", git, "-C", repo, "-c", "user.name=bench",
                    "-c", "user.email=bench@local", "commit", "-q", "-m", "night \(night)",
                ])
        }
        let theirsDB = (folder as NSString).appendingPathComponent("git-history.db")
        let theirs = ChildProcess.run(
            gitHistory,
            ["file", theirsDB, "gateways.json", "--repo", repo, "--branch", "main", "--id", "id", "--silent"])
        let oursDB = (folder as NSString).appendingPathComponent("gateway-audit.sqlite")
        let ours = ChildProcess.run(tool, ["import", "--db", oursDB] + files)
        let oursSize = try fileSize(oursDB) + fileSize(oursDB + "-wal")
        let theirsSize = try fileSize(theirsDB)
        guard theirs.status == 0, ours.status == 0 else {
            table.add(
                BenchRow(
                    stage: "peer: import vs git-history", figure: "exit \(ours.status)",
                    reference: "git-history exit \(theirs.status)",
                    ratio: nil, target: "≤ 0.1, ≤ 1.0×", met: false))
            return
        }
        table.add(
            BenchRow(
                stage: "peer: import \(count) × \(nights) nights", figure: String(format: "%.2f s", ours.seconds),
                reference: String(format: "%.2f s git-history", theirs.seconds), ratio: ours.seconds / theirs.seconds,
                target: "≤ 0.1", met: ours.seconds / theirs.seconds <= 0.1))
        table.add(
            BenchRow(
                stage: "peer: database size", figure: formatBytes(oursSize),
                reference: formatBytes(theirsSize) + " git-history",
                ratio: Double(oursSize) / Double(max(theirsSize, 1)), target: "≤ 1.0×", met: oursSize <= theirsSize))
    }

    /// The size of `path`; 0 when it does not exist (a WAL checkpointed away).
    func fileSize(_ path: String) throws -> Int64 {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        return (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }
}
