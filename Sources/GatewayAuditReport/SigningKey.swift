import Crypto
import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// Ed25519 keys for signing export manifests, stored as one-line text files.
public enum SigningKey {
    static let privatePrefix = "gateway-audit-ed25519-private-key "
    static let publicPrefix = "gateway-audit-ed25519-public-key "

    /// Creates a key pair and writes both files (the private one readable by its owner only).
    /// - Throws: ``ReportError/cannotWrite(path:detail:)``; an existing file is never overwritten.
    public static func generate(privateKeyPath: String, publicKeyPath: String) throws(ReportError) -> String {
        for path in [privateKeyPath, publicKeyPath] where FileManager.default.fileExists(atPath: path) {
            throw .cannotWrite(path: path, detail: "it already exists; keys are never overwritten")
        }
        let key = Curve25519.Signing.PrivateKey()
        let publicText = publicPrefix + key.publicKey.rawRepresentation.base64EncodedString() + "\n"
        let privateText = privatePrefix + key.rawRepresentation.base64EncodedString() + "\n"
        guard
            FileManager.default.createFile(
                atPath: privateKeyPath, contents: Data(privateText.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw .cannotWrite(path: privateKeyPath, detail: "cannot create the file")
        }
        guard FileManager.default.createFile(atPath: publicKeyPath, contents: Data(publicText.utf8)) else {
            throw .cannotWrite(path: publicKeyPath, detail: "cannot create the file")
        }
        return fingerprint(key.publicKey.rawRepresentation)
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
