import Crypto
import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// A text output stream into a file that appears only when complete: bytes go to a temporary file in
/// the same folder, which is flushed to disk by ``finish()`` and renamed over the target by ``publish()``
/// (``commit()`` does both). An interrupted or failed report never leaves a truncated file behind, and a
/// file that must appear with another (an export and its manifest) is published only once both are ready.
public final class ReportFile: TextOutputStream {
    /// The final path.
    public let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var failure: String?
    /// Closed by ``finish()`` (or a failure); the temporary file stays until published.
    private var closed = false
    /// Renamed into place by ``publish()``.
    private var published = false
    private var hasher = SHA256()
    /// Bytes written so far.
    public private(set) var byteCount: Int64 = 0
    /// Lower-case hex SHA-256 of everything written, set by ``commit()`` (hashed as it is written, so the
    /// file is never read back).
    public private(set) var sha256: String?

    /// Creates the temporary file beside `path`.
    /// - Throws: ``ReportError/cannotWrite(path:detail:)``.
    public init(path: String) throws(ReportError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath =
            url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotWrite(
                path: path, detail: ReportFile.reason(errno, folder: url.deletingLastPathComponent().path))
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if !closed { try? handle.close() }
        if !published { unlink(temporaryPath) }
    }

    /// Appends `string`; a write error is kept and reported by ``commit()``.
    public func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flushBuffer() }
    }

    /// Flushes, syncs and renames the file into place: ``finish()``, then ``publish()``.
    /// - Returns: the lower-case hex SHA-256 of the file (also in ``sha256``).
    /// - Throws: ``ReportError/cannotWrite(path:detail:)`` (the temporary file is removed).
    @discardableResult
    public func commit() throws(ReportError) -> String {
        let digest = try finish()
        try publish()
        return digest
    }

    /// Flushes and syncs the temporary file and closes it; the target is not touched yet.
    /// - Returns: the lower-case hex SHA-256 of the file (also in ``sha256``).
    /// - Throws: ``ReportError/cannotWrite(path:detail:)`` (the temporary file is removed).
    @discardableResult
    public func finish() throws(ReportError) -> String {
        flushBuffer()
        closed = true
        do {
            if let failure { throw ReportError.cannotWrite(path: path, detail: failure) }
            try handle.synchronize()
            try handle.close()
        } catch {
            // Already failing: the file is discarded, so an error closing it adds nothing.
            try? handle.close()
            unlink(temporaryPath)
            throw error as? ReportError ?? .cannotWrite(path: path, detail: "\(error.localizedDescription)")
        }
        let digest = hasher.finalize().hexString
        sha256 = digest
        return digest
    }

    /// Renames the finished file over the target.
    /// - Throws: ``ReportError/cannotWrite(path:detail:)`` (the temporary file is removed).
    public func publish() throws(ReportError) {
        precondition(closed && sha256 != nil, "publish() after finish()")
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw .cannotWrite(path: path, detail: reason)
        }
        published = true
    }

    private func flushBuffer() {
        guard !buffer.isEmpty, failure == nil else { return }
        do {
            try handle.write(contentsOf: buffer)
            hasher.update(data: buffer)
            byteCount += Int64(buffer.count)
        } catch {
            failure = "\(error.localizedDescription)"
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Why the temporary file could not be created in `folder`: `errno` in words the user can act on.
    private static func reason(_ error: Int32, folder: String) -> String {
        var isDirectory: ObjCBool = false
        switch error {
        case ENOENT where !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory):
            return "folder \(folder) does not exist"
        case ENOTDIR:
            return "\(folder) is not a folder"
        case EACCES, EPERM, EROFS:
            return "folder \(folder) is not writable"
        default:
            return String(cString: strerror(error))
        }
    }
}
