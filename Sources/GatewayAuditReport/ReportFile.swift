import Crypto
import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// A text output stream into a file that appears only when complete: bytes go to a temporary file in
/// the same folder, which is flushed to disk by ``finish()`` and renamed over the target by ``publish()``
/// (``commit()`` does both). An interrupted or failed report never leaves a truncated file behind, and a
/// file that must appear with another (an export and its manifest) is published only once both are ready.
/// Bytes go out with write(2), so a failure is known by its `errno` (``ReportError/writing(_:code:detail:)``):
/// a full disk or `ulimit -f` (`EFBIG`: the process ignores SIGXFSZ) is told apart from a path the user must change.
public final class ReportFile: TextOutputStream {
    /// The final path.
    public let path: String
    private let temporaryPath: String
    /// The temporary file, open for writing until ``finish()``.
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// The `errno` of the first write that failed; nothing is written after it.
    private var failure: Int32?
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

    /// Creates the temporary file beside `path` (``createTemporary(for:)``).
    /// - Throws: ``ReportError/cannotWrite(path:detail:)``, or ``ReportError/writeFailed(path:code:)`` when
    ///   the file system has no room for it or fails.
    public init(path: String) throws(ReportError) {
        self.path = path
        let (temporary, descriptor) = try ReportFile.createTemporary(for: path)
        temporaryPath = temporary
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    /// How many random names ``createTemporary(for:)`` tries before giving up.
    private static let temporaryAttempts = 8

    /// Creates a new, empty temporary file in the folder of `path` (the rename stays within one file
    /// system): `.<name>.<12 random hex digits>.tmp`, a name no other user can plant anything at in advance,
    /// opened only where nothing is (`O_EXCL`, `O_NOFOLLOW`: never through a link, never an existing file).
    /// A name already taken is tried again with other digits.
    /// - Returns: the temporary file's path and its open descriptor.
    /// - Throws: ``ReportError/cannotWrite(path:detail:)`` or ``ReportError/writeFailed(path:code:)`` naming `path`.
    private static func createTemporary(for path: String) throws(ReportError) -> (path: String, descriptor: Int32) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var code = EEXIST
        for _ in 0..<temporaryAttempts {
            // 48 bits as 12 hex digits: few enough bytes that a long report name still fits the file
            // system's 255 beside them.
            let digits = String(UInt64.random(in: 0..<(1 << 48)), radix: 16)
            let suffix = String(repeating: "0", count: 12 - digits.count) + digits
            let candidate = folder.appendingPathComponent(".\(url.lastPathComponent).\(suffix).tmp").path
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (candidate, descriptor) }
            code = errno
            guard code == EEXIST else { break }
        }
        throw ReportError.writing(path, code: code, detail: reason(code, folder: folder.path))
    }

    deinit {
        if !closed { close(descriptor) }
        if !published { unlink(temporaryPath) }
    }

    /// Appends `string`; a write error is kept and reported by ``commit()``.
    public func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flushBuffer() }
    }

    /// Flushes, syncs and renames the file into place: ``finish()``, then ``publish()``.
    /// - Returns: the lower-case hex SHA-256 of the file (also in ``sha256``).
    /// - Throws: ``ReportError/writeFailed(path:code:)`` or ``ReportError/cannotWrite(path:detail:)`` (the
    ///   temporary file is removed).
    @discardableResult
    public func commit() throws(ReportError) -> String {
        let digest = try finish()
        try publish()
        return digest
    }

    /// Flushes and syncs the temporary file and closes it; the target is not touched yet, so a failure leaves
    /// the previous file as it was.
    /// - Returns: the lower-case hex SHA-256 of the file (also in ``sha256``).
    /// - Throws: ``ReportError/writeFailed(path:code:)`` for a full disk, the file-size limit or an I/O error,
    ///   else ``ReportError/cannotWrite(path:detail:)`` (the temporary file is removed).
    @discardableResult
    public func finish() throws(ReportError) -> String {
        flushBuffer()
        closed = true
        var code = failure
        if code == nil, fsync(descriptor) != 0 { code = errno }
        // Already failing, the file is discarded: an error closing it adds nothing. Linux closes the descriptor
        // even when close(2) is interrupted, so EINTR is no failure.
        if close(descriptor) != 0, code == nil, errno != EINTR { code = errno }
        if let code {
            unlink(temporaryPath)
            throw ReportError.writing(path, code: code)
        }
        let digest = hasher.finalize().hexString
        sha256 = digest
        return digest
    }

    /// Refuses a target that the file may not replace: anything at ``path`` other than a regular file (a
    /// folder, which the rename would fail on; a symbolic link; a device). An export and its manifest are
    /// both checked before either is renamed, so neither replaces its predecessor unless both can.
    /// - Throws: ``ReportError/cannotWrite(path:detail:)``; nothing is renamed or removed (the temporary
    ///   file goes when this file is released unpublished).
    public func checkReplaceable() throws(ReportError) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw .cannotWrite(path: path, detail: "\(String(cString: strerror(code))); nothing was replaced")
        }
        let what: String
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: what = "a folder"
        case S_IFLNK: what = "a symbolic link"
        default: what = "something other than a file"
        }
        throw .cannotWrite(path: path, detail: "\(what) is in its place; nothing was replaced")
    }

    /// Renames the finished file over the target.
    /// - Throws: ``ReportError/cannotWrite(path:detail:)``, or ``ReportError/writeFailed(path:code:)`` when the
    ///   folder has no room for the name or fails (the temporary file is removed).
    public func publish() throws(ReportError) {
        precondition(closed && sha256 != nil, "publish() after finish()")
        if rename(temporaryPath, path) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw ReportError.writing(path, code: code)
        }
        published = true
    }

    /// Writes the buffer out; the first failure is kept in ``failure`` for ``finish()`` to report.
    private func flushBuffer() {
        guard !buffer.isEmpty, failure == nil else { return }
        if let code = buffer.withUnsafeBytes({ writeAll($0, to: descriptor) }) {
            failure = code
        } else {
            hasher.update(data: buffer)
            byteCount += Int64(buffer.count)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether `first` and `second` name one file: the same device and inode when both exist, else the same
    /// name in the same folder, the folders compared by their real paths (`./x`, `dir/../x` and `x` through
    /// a link to its folder are one file, whether or not it exists yet).
    public static func sameFile(_ first: String, _ second: String) -> Bool {
        var one = stat()
        var other = stat()
        if stat(first, &one) == 0, stat(second, &other) == 0 {
            return one.st_dev == other.st_dev && one.st_ino == other.st_ino
        }
        return location(of: first) == location(of: second)
    }

    /// `path` as the real path of its folder (links, `.` and `..` resolved; as written, made absolute, when the
    /// folder does not exist) and its own name.
    private static func location(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        guard let resolved = realPath(folder.path) else {
            return folder.standardizedFileURL.appendingPathComponent(url.lastPathComponent).path
        }
        return URL(fileURLWithPath: resolved).appendingPathComponent(url.lastPathComponent).path
    }

    /// The real path of `path` (links, `.` and `..` resolved); nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
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

/// Writes all of `bytes` to `descriptor` with write(2), again after an interruption or a short write.
/// Outside ``ReportFile``, whose `write(_:)` would hide the system call.
/// - Returns: the `errno` of the write that failed, nil when everything was written.
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
    guard let base = bytes.baseAddress else { return nil }
    var done = 0
    while done < bytes.count {
        let count = write(descriptor, base + done, bytes.count - done)
        if count >= 0 {
            done += count
        } else if errno != EINTR {
            return errno
        }
    }
    return nil
}
