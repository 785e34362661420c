import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion and reports its exit status, wall time, peak resident memory and the CPU
/// it used (user and system time from `wait4`'s rusage for that child alone).
enum ChildProcess {
    struct Result {
        let status: Int32
        let seconds: Double
        let peakRSSKiB: Int
        /// CPU seconds the child spent in user mode (`ru_utime`).
        var userSeconds: Double = 0
        /// CPU seconds the kernel spent on the child's behalf (`ru_stime`).
        var systemSeconds: Double = 0

        /// User plus system CPU seconds.
        var cpuSeconds: Double { userSeconds + systemSeconds }
    }

    /// Runs `ours` and `reference` `times` times each, alternating, and returns the median run of each (by
    /// wall time): on a shared machine one run of either can be a fifth off, and a ratio of two single runs
    /// twice that. The first failed run is returned as soon as it happens.
    static func sideBySide(times: Int = 3, ours: () -> Result, reference: () -> Result) -> (
        ours: Result, reference: Result
    ) {
        var (mine, theirs) = ([Result](), [Result]())
        for _ in 0..<times {
            let one = ours()
            guard one.status == 0 else { return (one, reference()) }
            let other = reference()
            guard other.status == 0 else { return (one, other) }
            mine.append(one)
            theirs.append(other)
        }
        let median = { (runs: [Result]) in runs.sorted { $0.seconds < $1.seconds }[runs.count / 2] }
        return (median(mine), median(theirs))
    }

    /// Runs `program` until it exits. `environment` is added to (and overrides) the bench's own.
    static func run(
        _ program: String, _ arguments: [String], stdoutPath: String = "/dev/null", stderrPath: String = "/dev/null",
        environment: [String: String] = [:]
    ) -> Result {
        let started = ContinuousClock.now
        guard
            let pid = spawn(
                program, arguments, stdoutPath: stdoutPath, stderrPath: stderrPath, environment: environment)
        else { return Result(status: -1, seconds: 0, peakRSSKiB: 0) }
        var status: Int32 = 0
        var usage = rusage()
        // Not `ru_maxrss`: posix_spawn starts the child in the bench's own memory (vfork), and exec records
        // that memory's high-water mark as the child's, so every child "peaked" at the bench's size. The
        // child's own mark (VmHWM, which only grows) is read every 5 ms until it exits. ru_utime and
        // ru_stime have no such problem: they count the child's CPU only.
        var peak = 0
        while wait4(pid, &status, WNOHANG, &usage) == 0 {
            peak = max(peak, highWaterMarkKiB(of: pid) ?? 0)
            usleep(5_000)
        }
        let elapsed = started.duration(to: .now)
        return Result(
            status: (status >> 8) & 0xFF, seconds: elapsed.seconds, peakRSSKiB: peak > 0 ? peak : Int(usage.ru_maxrss),
            userSeconds: usage.ru_utime.seconds, systemSeconds: usage.ru_stime.seconds)
    }

    /// Starts `program` with its standard output and error sent to files; nil when it cannot be started.
    static func spawn(
        _ program: String, _ arguments: [String], stdoutPath: String, stderrPath: String = "/dev/null",
        environment: [String: String] = [:]
    ) -> pid_t? {
        var fileActions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&fileActions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawnp(&pid, program, &fileActions, nil, argv, envp) == 0 else { return nil }
        return pid
    }

    /// The `VmHWM` line of `/proc/PID/status`: the process's peak resident memory, in KiB.
    private static func highWaterMarkKiB(of pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    static func which(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

extension timeval {
    /// The interval in seconds.
    var seconds: Double { Double(tv_sec) + Double(tv_usec) / 1_000_000 }
}

/// Wall-clock timing of a block.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let started = ContinuousClock.now
    try body()
    let elapsed = started.duration(to: .now)
    return elapsed.seconds
}

func measure(_ body: () async throws -> Void) async rethrows -> Double {
    let started = ContinuousClock.now
    try await body()
    let elapsed = started.duration(to: .now)
    return elapsed.seconds
}
