/// One `wrk` run and what its output says: requests, their rate, and the CPU it spent per request.
struct WrkRun {
    let process: ChildProcess.Result
    /// `N requests in 5.00s`.
    let requests: Int
    /// `Requests/sec:`.
    let rate: Double
    /// Why the run is no reference (it failed, or some answers were not 2xx); nil when it is one.
    let problem: String?

    /// Reads `wrk`'s summary from `output`.
    init(process: ChildProcess.Result, output: String) {
        self.process = process
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let requestsLine = lines.first { $0.contains(" requests in ") }
        requests = requestsLine.flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0
        rate =
            lines.first { $0.hasPrefix("Requests/sec:") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        if process.status != 0 || requests == 0 {
            problem = "wrk failed (exit \(process.status))"
        } else if let errors = lines.first(where: { $0.hasPrefix("Non-2xx or 3xx responses:") }) {
            problem = "wrk: \(errors)"
        } else {
            problem = nil
        }
    }

    /// User plus system CPU seconds of `wrk` per request.
    var cpuPerRequest: Double { requests > 0 ? process.cpuSeconds / Double(requests) : 0 }
}
