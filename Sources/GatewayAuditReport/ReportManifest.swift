import Crypto
import Foundation
import GatewayAuditCore
import GatewayAuditStore

/// The sidecar `<file>.manifest.json` of an exported report: what the file is, where it came from,
/// and its SHA-256, optionally signed with Ed25519.
public struct ReportManifest: Sendable, Hashable, Codable {
    /// The report's file name (without folder).
    public var file: String
    /// Lower-case hex SHA-256 of the file's bytes.
    public var sha256: String
    /// Size in bytes.
    public var bytes: Int64
    /// `history`, `changes` or `timestamps`.
    public var view: String
    /// `csv` or `html`.
    public var format: String
    /// The zone of every time column.
    public var zone: String
    /// The filters in words.
    public var filters: String
    /// Data rows written.
    public var rows: Int
    /// The database's chain head when the report was made.
    public var chainHead: String
    /// The endpoint and project of the latest collection run.
    public var endpoint: String
    public var project: String
    /// The gateway-audit version that wrote it.
    public var toolVersion: String
    /// When it was generated, UTC.
    public var generatedAt: String
    /// The signature over every other field, when signed.
    public var signature: ManifestSignature?

    enum CodingKeys: String, CodingKey {
        case file, sha256, bytes, view, format, zone, filters, rows, endpoint, project, signature
        case chainHead = "chain_head"
        case toolVersion = "tool_version"
        case generatedAt = "generated_at"
    }

    /// The manifest path for a report path.
    public static func path(for reportPath: String) -> String { reportPath + ".manifest.json" }

    /// The exact bytes that are signed: the manifest without `signature`, as canonical JSON.
    public var signedBytes: Data {
        var unsigned = self
        unsigned.signature = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(unsigned)) ?? Data()
        return Data(((try? JSONValue(data: data))?.canonicalJSON ?? "").utf8)
    }

    /// Pretty JSON for the sidecar file.
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// Streams a file through SHA-256.
    /// - Throws: ``ReportError/cannotRead(path:detail:)``.
    public static func sha256(ofFile path: String) throws(ReportError) -> (hex: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .cannotRead(path: path, detail: "the file is missing or not readable")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            total += Int64(chunk.count)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), total)
    }
}

/// An Ed25519 signature of a manifest and the public key that made it.
public struct ManifestSignature: Sendable, Hashable, Codable {
    /// Always `ed25519`.
    public var algorithm: String
    /// Base64 of the 32-byte public key.
    public var publicKey: String
    /// Base64 of the 64-byte signature.
    public var value: String

    enum CodingKeys: String, CodingKey {
        case algorithm, value
        case publicKey = "public_key"
    }
}
