import Crypto
import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// Ed25519 keys for signing export manifests, stored as one-line text files.
public enum SigningKey {
    static let privatePrefix = "gateway-audit-ed25519-private-key "
    static let publicPrefix = "gateway-audit-ed25519-public-key "

    /// Creates a key pair and writes both files. Each is created only where nothing is (a file already there
    /// is never overwritten), the private one with mode 0600 from its first instant, so no other user can
    /// read it even while it is written; a failure part way removes both, so no half pair is left.
    /// - Returns: the fingerprint of the public key.
    /// - Throws: ``ReportError/cannotWriteKey(path:detail:)``: a path already taken, both paths naming one
    ///   file, or a file that cannot be created or written.
    public static func generate(privateKeyPath: String, publicKeyPath: String) throws(ReportError) -> String {
        let key = Curve25519.Signing.PrivateKey()
        let publicText = publicPrefix + key.publicKey.rawRepresentation.base64EncodedString() + "\n"
        let privateText = privatePrefix + key.rawRepresentation.base64EncodedString() + "\n"
        // Both files are created before either is written: a path in the way stops the pair before a key is
        // on disk.
        let privateFile = try create(privateKeyPath, mode: 0o600)
        let publicFile: Int32
        do throws(ReportError) {
            publicFile = try create(publicKeyPath, mode: 0o644)
        } catch {
            // Taken by the private key just created: the two paths name one file.
            let same = isFile(privateFile, at: publicKeyPath)
            close(privateFile)
            unlink(privateKeyPath)
            if same {
                throw .cannotWriteKey(
                    path: publicKeyPath,
                    detail: "it names the private key's file too; give the public key a path of its own")
            }
            throw error
        }
        let failures = [
            fill(privateFile, path: privateKeyPath, with: privateText),
            fill(publicFile, path: publicKeyPath, with: publicText),
        ]
        if let failure = failures.compactMap({ $0 }).first {
            unlink(privateKeyPath)
            unlink(publicKeyPath)
            throw failure
        }
        return fingerprint(key.publicKey.rawRepresentation)
    }

    /// Creates `path` for writing, only if nothing is there (`O_EXCL`: not even a dangling link).
    private static func create(_ path: String, mode: mode_t) throws(ReportError) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let code = errno
            throw .cannotWriteKey(
                path: path,
                detail: code == EEXIST
                    ? "it already exists, and keys are never overwritten; remove it or choose another path"
                    : "\(String(cString: strerror(code))); check that its folder exists and can be written")
        }
        return descriptor
    }

    /// Writes `text` to `descriptor` and syncs it to disk; closes the descriptor in every case.
    /// - Returns: the error, nil when the file is complete.
    private static func fill(_ descriptor: Int32, path: String, with text: String) -> ReportError? {
        let bytes = Array(text.utf8)
        var done = 0
        var failure: Int32?
        while done < bytes.count, failure == nil {
            let count = bytes[done...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                done += count
            } else if errno != EINTR {
                failure = errno
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == nil { failure = errno }
        return failure.map {
            ReportError.cannotWriteKey(path: path, detail: "\(String(cString: strerror($0))); no key was kept")
        }
    }

    /// Whether `path` names the file open as `descriptor`.
    private static func isFile(_ descriptor: Int32, at path: String) -> Bool {
        var opened = stat()
        var named = stat()
        return fstat(descriptor, &opened) == 0 && stat(path, &named) == 0 && opened.st_dev == named.st_dev
            && opened.st_ino == named.st_ino
    }

    /// Signs a manifest with the private key in `path`.
    /// - Throws: ``ReportError/invalidKey(path:detail:)``; ``ReportError/encodingFailed(what:detail:)``.
    public static func sign(_ manifest: inout ReportManifest, privateKeyPath path: String) throws(ReportError) {
        let raw = try read(path, prefix: privatePrefix)
        let bytes = try manifest.signedBytes()
        let key: Curve25519.Signing.PrivateKey
        let signature: Data
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            signature = try key.signature(for: bytes)
        } catch {
            throw .invalidKey(path: path, detail: "not an Ed25519 private key")
        }
        manifest.signature = ManifestSignature(
            algorithm: "ed25519", publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
            value: signature.base64EncodedString())
    }

    /// Checks a manifest's signature: with the public key in `publicKeyPath` when given (and that key
    /// must be the one that signed), else with the key embedded in the manifest.
    /// - Returns: the fingerprint of the key that signed.
    /// - Throws: ``ReportError/invalidKey(path:detail:)`` for an unreadable key file.
    public static func check(_ manifest: ReportManifest, publicKeyPath: String?) throws(ReportError) -> Result<
        String, SignatureProblem
    > {
        guard let signature = manifest.signature else { return .failure(.unsigned) }
        guard signature.algorithm == "ed25519", let embedded = Data(base64Encoded: signature.publicKey),
            let value = Data(base64Encoded: signature.value),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: embedded)
        else { return .failure(.malformed) }
        if let publicKeyPath {
            let expected = try read(publicKeyPath, prefix: publicPrefix)
            if expected != embedded { return .failure(.otherKey(fingerprint(embedded))) }
        }
        return key.isValidSignature(value, for: try manifest.signedBytes())
            ? .success(fingerprint(embedded)) : .failure(.invalid)
    }

    /// Why a signature does not verify.
    public enum SignatureProblem: Error, Sendable, Hashable, CustomStringConvertible {
        case unsigned, malformed, invalid
        case otherKey(String)

        public var description: String {
            switch self {
            case .unsigned: return "the manifest is not signed"
            case .malformed: return "the manifest's signature is malformed"
            case .invalid: return "the signature does not match the manifest (the manifest was edited)"
            case .otherKey(let fingerprint):
                return "signed by another key (\(fingerprint)), not by the public key given"
            }
        }
    }

    /// A short SHA-256 fingerprint of a public key, for people to compare.
    public static func fingerprint(_ publicKey: Data) -> String {
        "SHA256:" + String(SHA256.hash(data: publicKey).hexString.prefix(16))
    }

    private static func read(_ path: String, prefix: String) throws(ReportError) -> Data {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .invalidKey(path: path, detail: "cannot read it (\(error.localizedDescription))")
        }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix(prefix), let raw = Data(base64Encoded: String(line.dropFirst(prefix.count))),
            raw.count == 32
        else {
            throw .invalidKey(
                path: path,
                detail:
                    "not a gateway-audit \(prefix.contains("private") ? "private" : "public") key file (see `gateway-audit keygen`)"
            )
        }
        return raw
    }
}
