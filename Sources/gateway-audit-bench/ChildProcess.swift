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
        _ = wait4(pid, &status, 0, &usage)
        let elapsed = started.duration(to: .now)
        let seconds = elapsed.seconds
        return Result(status: (status >> 8) & 0xFF, seconds: seconds, peakRSSKiB: Int(usage.ru_maxrss))
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
