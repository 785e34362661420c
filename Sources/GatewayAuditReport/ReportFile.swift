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

    /// Creates the temporary file beside `path` (``createTemporary(for:)``).
    /// - Throws: ``ReportError/cannotWrite(path:detail:)``.
    public init(path: String) throws(ReportError) {
        self.path = path
        let (temporary, descriptor) = try ReportFile.createTemporary(for: path)
        temporaryPath = temporary
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        buffer.reserveCapacity(1 << 16)
    }

    /// How many random names ``createTemporary(for:)`` tries before giving up.
    private static let temporaryAttempts = 8

    /// Creates a new, empty temporary file in the folder of `path` (the rename stays within one file
    /// system): `.<name>.<12 random hex digits>.tmp`, a name no other user can plant anything at in advance,
    /// opened only where nothing is (`O_EXCL`, `O_NOFOLLOW`: never through a link, never an existing file).
    /// A name already taken is tried again with other digits.
    /// - Returns: the temporary file's path and its open descriptor.
    /// - Throws: ``ReportError/cannotWrite(path:detail:)`` naming `path`.
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
        throw .cannotWrite(path: path, detail: reason(code, folder: folder.path))
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
        guard let resolved = realpath(folder.path, nil) else {
            return folder.standardizedFileURL.appendingPathComponent(url.lastPathComponent).path
        }
        defer { free(resolved) }
        return URL(fileURLWithPath: String(cString: resolved)).appendingPathComponent(url.lastPathComponent).path
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
