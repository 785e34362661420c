import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc

    // GNU extensions glibc has (2.29+) but its Swift module does not declare.
    @_silgen_name("pipe2")
    private func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
    @_silgen_name("posix_spawn_file_actions_addchdir_np")
    private func spawnActionsAddChdir(
        _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>
    ) -> Int32
#elseif canImport(Darwin)
    import Darwin

    private func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        guard pipe(fds) == 0 else { return -1 }
        for index in 0..<2 { _ = fcntl(fds[index], F_SETFD, FD_CLOEXEC) }
        return 0
    }

    private func spawnActionsAddChdir(
        _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t?>, _ path: UnsafePointer<CChar>
    ) -> Int32 {
        posix_spawn_file_actions_addchdir_np(actions, path)
    }
#endif

/// Runs a program as a child process with `posix_spawn`, for every test that starts one.
///
/// Not Foundation's `Process`: on Linux its `run()` lists `/proc/self/fd` to close inherited descriptors
/// and copies each `dirent`'s whole 256-byte name, reading past glibc's buffer when a short entry ends a
/// mapped page (swift-corelibs-foundation#5472, not in this toolchain). A test process with many
/// sockets open (simulators, PostgreSQL connections, pools) crashed with SIGSEGV in `Process.run()` about
/// one run of the suite in four. Every descriptor this type creates is close-on-exec, so a child inherits
/// only its own standard streams (the store, NIO and SQLite open theirs close-on-exec too).
public struct Spawn: Sendable {
    /// A `JOURNAL_STREAM` value replaced by the device and inode of the child's standard error pipe, as
    /// systemd sets it for a service whose output goes to the journal.
    public static let journalStream = "<the child's standard error>"

    /// Where a child's output goes.
    public enum Output: Sendable {
        /// A pipe the parent reads.
        case pipe
        /// `/dev/null`.
        case discard
        /// Appended to a file (created when missing).
        case file(String)
    }

    /// The child's process id.
    public let pid: pid_t
    /// The parent's end of the child's standard output or error, when `.pipe`; the caller closes it.
    public let stdout: Int32?
    public let stderr: Int32?

    /// Starts `executable` with `arguments`. `environment` nil inherits this process's; `directory` nil
    /// keeps the current one; `input` is written to the child's standard input, which then ends
    /// (`/dev/null` without it).
    /// - Throws: ``Failure`` when the program cannot be started.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        input: Data? = nil, stdout: Output = .pipe, stderr: Output = .pipe
    ) throws -> Spawn {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default signal handling and an empty mask in the child, as a shell would start it (this process
        // ignores SIGPIPE, which a child would otherwise inherit).
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { for fd in childEnds { close(fd) } }
        func pipeEnds() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [-1, -1]
            guard pipe2(&fds, Int32(O_CLOEXEC)) == 0 else { throw Failure(what: "pipe", code: errno) }
            return (fds[0], fds[1])
        }
        func connect(_ output: Output, to target: Int32) throws -> Int32? {
            switch output {
            case .pipe:
                let ends = try pipeEnds()
                parentEnds.append(ends.read)
                childEnds.append(ends.write)
                posix_spawn_file_actions_adddup2(&actions, ends.write, target)
                return ends.read
            case .discard:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
                return nil
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                return nil
            }
        }
        var inputWriter: Int32?
        do {
            if input != nil {
                let ends = try pipeEnds()
                inputWriter = ends.write
                parentEnds.append(ends.write)
                childEnds.append(ends.read)
                posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
            } else {
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            }
            let outputEnd = try connect(stdout, to: 1)
            let errorEnd = try connect(stderr, to: 2)
            if let directory { _ = spawnActionsAddChdir(&actions, directory) }

            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            defer { for argument in argv { free(argument) } }
            var variables = environment ?? ProcessInfo.processInfo.environment
            // Standing in for systemd: JOURNAL_STREAM names the child's standard error pipe.
            if variables["JOURNAL_STREAM"] == Spawn.journalStream, case .pipe = stderr, let end = childEnds.last {
                var status = stat()
                if fstat(end, &status) == 0 { variables["JOURNAL_STREAM"] = "\(status.st_dev):\(status.st_ino)" }
            }
            let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for variable in envp { free(variable) } }
            var pid: pid_t = 0
            let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            guard code == 0 else { throw Failure(what: executable, code: code) }
            for fd in childEnds { close(fd) }
            childEnds = []
            if let inputWriter, let input {
                writeAll(inputWriter, input)
                close(inputWriter)
            }
            return Spawn(pid: pid, stdout: outputEnd, stderr: errorEnd)
        } catch {
            for fd in parentEnds { close(fd) }
            throw error
        }
    }

    /// Runs `executable` to its end; its status (the signal number when a signal ended it, as
    /// `Process.terminationStatus` gives it), standard output and standard error. Blocks the thread.
    /// - Throws: ``Failure`` when the program cannot be started.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        input: Data? = nil, stdout: Output = .pipe, stderr: Output = .pipe
    ) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let child = try start(
            executable, arguments, environment: environment, directory: directory, input: input, stdout: stdout,
            stderr: stderr)
        // Both pipes are drained at once, so a child filling one while the other is read never blocks.
        // On a thread of its own: a global dispatch queue has as many threads as cores (see `offPool`).
        let errors = Mutex<Data>(Data())
        let drained = DispatchSemaphore(value: 0)
        if let fd = child.stderr {
            let reader = Thread {
                let data = readAll(fd)
                errors.withLock { $0 = data }
                drained.signal()
            }
            reader.stackSize = 1 << 20
            reader.start()
        } else {
            drained.signal()
        }
        let output = child.stdout.map(readAll) ?? Data()
        drained.wait()
        for fd in [child.stdout, child.stderr].compactMap({ $0 }) { close(fd) }
        return (child.wait(), output, errors.withLock { $0 })
    }

    /// Waits for the child to end; its status (the signal number when a signal ended it). Blocks.
    @discardableResult
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let low = status & 0x7f
        return low == 0 ? (status >> 8) & 0xff : low
    }

    /// Sends `signal` (SIGTERM by default) to the child.
    public func terminate(_ signal: Int32 = SIGTERM) {
        kill(pid, signal)
    }

    /// Everything `fd` gives until its end. Blocks.
    public static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }

    private static func writeAll(_ fd: Int32, _ data: Data) {
        var offset = 0
        data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            while offset < bytes.count {
                let count = write(fd, base + offset, bytes.count - offset)
                if count > 0 {
                    offset += count
                } else if errno != EINTR {
                    return
                }
            }
        }
    }

    /// A program that could not be started, or a descriptor that could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public let what: String
        public let code: Int32
        public var description: String { "cannot start \(what): \(String(cString: strerror(code)))" }
    }
}
