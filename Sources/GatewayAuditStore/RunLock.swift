import Crypto
import Foundation
import GatewayAuditCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on `<database>.<scope>.lock`, held for a whole collection run of that
/// scope (`<scope>`: 16 hex digits of the SHA-256 of account, cloud, region and project), so runs of
/// different scopes, in one process or several, go on together while two runs of one scope never overlap.
///
/// `flock` locks belong to the open file description, so the kernel drops them when the process
/// dies, even by SIGKILL: a crashed run never leaves a stale lock behind. The holder releases it
/// explicitly when the run finishes (``release()``); `deinit` is only the fallback for a run that
/// was abandoned by an error.
final class RunLock: Sendable {
    private let descriptor: Mutex<Int32?>
    let path: String

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    /// Waits up to `wait` for the lock, polling without blocking a thread: other tasks (an in-process
    /// simulator, a progress display) keep running meanwhile.
    /// - Throws: ``StoreError/locked(path:waitedSeconds:)`` after the wait, ``StoreError/readOnly(path:detail:)``
    ///   when the lock file cannot be created, ``StoreError/cancelled(path:)`` when the task is cancelled.
    static func acquire(
        databasePath: String, scope: ScopeKey, wait: Duration, clock: any Clock<Duration> = ContinuousClock()
    ) async throws(StoreError) -> RunLock {
        let path = lockPath(databasePath: databasePath, scope: scope)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .readOnly(path: path, detail: String(cString: strerror(errno))) }
        let taken: Bool
        do {
            taken = try await lockExclusively(fd, wait: wait, clock: clock)
        } catch {
            close(fd)
            throw .cancelled(path: databasePath)
        }
        guard taken else {
            close(fd)
            throw .locked(path: databasePath, waitedSeconds: wait.seconds)
        }
        return RunLock(path: path, descriptor: fd)
    }

    /// The lock file of `scope` beside the database.
    static func lockPath(databasePath: String, scope: ScopeKey) -> String {
        let identity = [scope.account, scope.cloud, scope.region, scope.projectID].joined(separator: "\n")
        return databasePath + "." + String(SHA256.hash(data: Data(identity.utf8)).hexString.prefix(16)) + ".lock"
    }

    /// Releases the lock now; later calls do nothing.
    func release() {
        descriptor.withLock { fd in
            guard let open = fd else { return }
            flock(open, LOCK_UN)
            close(open)
            fd = nil
        }
    }

    deinit {
        release()
    }
}
