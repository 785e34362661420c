import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion and reports its exit status, wall time and peak resident memory
/// (from `wait4`'s rusage for that child alone).
enum ChildProcess {
    struct Result {
        let status: Int32
        let seconds: Double
        let peakRSSKiB: Int
    }

    static func run(_ program: String, _ arguments: [String], stdoutPath: String = "/dev/null") -> Result {
        var fileActions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let spawned = posix_spawnp(&pid, program, &fileActions, nil, argv, environ)
        guard spawned == 0 else { return Result(status: -1, seconds: 0, peakRSSKiB: 0) }
        var status: Int32 = 0
        var usage = rusage()
        // Not `ru_maxrss`: posix_spawn starts the child in the bench's own memory (vfork), and exec records
        // that memory's high-water mark as the child's, so every child "peaked" at the bench's size. The
        // child's own mark (VmHWM, which only grows) is read every 5 ms until it exits.
        var peak = 0
        while wait4(pid, &status, WNOHANG, &usage) == 0 {
            peak = max(peak, highWaterMarkKiB(of: pid) ?? 0)
            usleep(5_000)
        }
        let elapsed = started.duration(to: .now)
        let seconds = elapsed.seconds
        return Result(
            status: (status >> 8) & 0xFF, seconds: seconds, peakRSSKiB: peak > 0 ? peak : Int(usage.ru_maxrss))
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
