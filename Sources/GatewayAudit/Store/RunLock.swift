import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on `<database>.lock`, held for a whole collection run.
///
/// `flock` locks belong to the open file description, so the kernel drops them when the process
/// dies, even by SIGKILL: a crashed run never leaves a stale lock behind.
final class RunLock: Sendable {
    private let descriptor: Int32
    let path: String

    /// Waits up to `wait` seconds for the lock.
    /// - Throws: ``StoreError/locked(path:waitedSeconds:)`` after the wait, ``StoreError/readOnly(path:detail:)``
    ///   when the lock file cannot be created.
    init(databasePath: String, wait: Double) throws(StoreError) {
        path = databasePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .readOnly(path: path, detail: String(cString: strerror(errno)))
        }
        let start = Date()
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let waited = Date().timeIntervalSince(start)
            if waited >= wait {
                close(fd)
                throw .locked(path: databasePath, waitedSeconds: wait)
            }
            usleep(UInt32(min(0.05, max(0.001, wait - waited)) * 1_000_000))
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
