import Crypto
import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// A text output stream into a file that appears only when complete: bytes go to a temporary file in
/// the same folder, which is flushed to disk and renamed over the target by ``commit()``. An
/// interrupted or failed report never leaves a truncated file behind.
public final class ReportFile: TextOutputStream {
    /// The final path.
    public let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var failure: String?
    private var finished = false
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
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporaryPath)
        else {
            throw .cannotWrite(path: path, detail: ReportFile.reason(for: url.deletingLastPathComponent().path))
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if !finished {
            try? handle.close()
            unlink(temporaryPath)
        }
    }

    /// Appends `string`; a write error is kept and reported by ``commit()``.
    public func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flushBuffer() }
    }

    /// Flushes, syncs and renames the file into place.
    /// - Returns: the lower-case hex SHA-256 of the file (also in ``sha256``).
    /// - Throws: ``ReportError/cannotWrite(path:detail:)`` (the temporary file is removed).
    @discardableResult
    public func commit() throws(ReportError) -> String {
        flushBuffer()
        finished = true
        do {
            if let failure { throw ReportError.cannotWrite(path: path, detail: failure) }
            try handle.synchronize()
            try handle.close()
            let digest = hasher.finalize().hexString
            if rename(temporaryPath, path) != 0 {
                throw ReportError.cannotWrite(path: path, detail: String(cString: strerror(errno)))
            }
            sha256 = digest
            return digest
        } catch {
            // Already failing: the file is discarded, so an error closing it adds nothing.
            try? handle.close()
            unlink(temporaryPath)
            throw error as? ReportError ?? .cannotWrite(path: path, detail: "\(error.localizedDescription)")
        }
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

    private static func reason(for folder: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            return "folder \(folder) does not exist"
        }
        if !isDirectory.boolValue { return "\(folder) is not a folder" }
        return "folder \(folder) is not writable"
    }
}
