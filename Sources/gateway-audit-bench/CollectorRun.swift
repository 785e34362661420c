import Foundation
import GatewayAudit

/// One `gateway-audit collect` by id, run as a child process against a ``SimulatorProcess`` into a fresh
/// database, and checked: a run that did not store every observation has no rate to report.
struct CollectorRun {
    let process: ChildProcess.Result
    /// Observations the run recorded (from its database, not its output).
    let observed: Int
    /// Why the run does not count (exit status, status or counts in the database); nil when it does.
    let problem: String?

    /// Runs the collector at `concurrency` for the ids in `idsFile` (`expected` of them), writing
    /// `name.sqlite`, `name.out` and `name.err` in `folder`. With `nextNightOf`, the run goes into that earlier
    /// run's database instead of a new one, as a nightly job's next night does.
    init(
        tool: String, simulator: SimulatorProcess, token: String, idsFile: String, expected: Int, concurrency: Int,
        folder: String, name: String, nextNightOf earlier: String? = nil
    ) {
        let file = { (suffix: String) in (folder as NSString).appendingPathComponent(name + suffix) }
        let database = earlier.map { (folder as NSString).appendingPathComponent($0 + ".sqlite") } ?? file(".sqlite")
        if earlier == nil { try? FileManager.default.removeItem(atPath: database) }
        process = ChildProcess.run(
            tool,
            [
                "collect", "--endpoint", simulator.baseURL, "--project-id", simulator.projectID, "--ids-file", idsFile,
                "--kind", "customer-gateway", "--concurrency", "\(concurrency)", "--db", database, "--progress",
                "never",
            ],
            stdoutPath: file(".out"), stderrPath: file(".err"),
            // Empty variables count as unset: only the token authenticates, and no estate file is read.
            environment: [
                "HW_AUTH_TOKEN": token, "HW_ACCESS_KEY": "", "HW_SECRET_KEY": "", "HW_USER_NAME": "",
                "HW_PASSWORD": "", "GATEWAY_AUDIT_CONFIG": "",
            ])
        let stderr = (try? String(contentsOfFile: file(".err"), encoding: .utf8)) ?? ""
        let firstLine = stderr.split(separator: "\n").first.map(String.init) ?? ""
        guard process.status == 0 else {
            (observed, problem) = (0, "exit \(process.status): \(firstLine)")
            return
        }
        do {
            let queries = HistoryQueries(try HistoryDatabase.open(path: database))
            let runs = try queries.runs(limit: 1)
            let stored = try queries.gateways().count
            guard let run = runs.first else {
                (observed, problem) = (0, "no run recorded in \(database)")
                return
            }
            observed = run.counts.observed
            if run.status != .complete || run.counts.observed != expected || run.counts.failed > 0
                || stored != expected
            {
                problem =
                    "run \(run.status.rawValue): \(run.counts.observed) of \(expected) observed, "
                    + "\(run.counts.failed) failed, \(stored) gateways stored"
            } else {
                problem = nil
            }
        } catch {
            (observed, problem) = (0, "cannot read \(database): \(error)")
        }
    }

    /// Observations per second of wall time, the process's start and database opening included.
    var rate: Double { process.seconds > 0 ? Double(observed) / process.seconds : 0 }

    /// The row for a run that failed: its figure says why, and it meets no target.
    func failedRow(_ stage: String, target: String) -> BenchRow {
        BenchRow(
            stage: stage, figure: "failed", reference: problem ?? "-", ratio: nil, target: target, met: false)
    }
}
