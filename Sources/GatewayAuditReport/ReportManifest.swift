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
    /// The view (`history`, `changes` or `timestamps` in the JSON).
    public var view: ReportView
    /// The format (`csv` or `html` in the JSON).
    public var format: ReportFormat
    /// The zone of every time column.
    public var zone: String
    /// The filters in words.
    public var filters: String
    /// Data rows written.
    public var rows: Int
    /// The database's chain head when the report was made.
    public var chainHead: String
    /// The endpoint of the latest collection run.
    public var endpoint: String
    /// The project of the latest collection run.
    public var project: String
    /// The gateway-audit version that wrote it.
    public var toolVersion: String
    /// When it was generated, UTC.
    public var generatedAt: String
    /// The signature over every other field, when signed.
    public var signature: ManifestSignature?
    /// A history of several scopes (an estate): the head each scope's latest finished run sealed, which
    /// `verify --db` checks one by one (``chainHead`` is one scope's); absent for a history of one scope.
    public var scopeHeads: [ScopeHead]? = nil

    enum CodingKeys: String, CodingKey {
        case file, sha256, bytes, view, format, zone, filters, rows, endpoint, project, signature
        case scopeHeads = "scope_heads"
        case chainHead = "chain_head"
        case toolVersion = "tool_version"
        case generatedAt = "generated_at"
    }

    /// The manifest path for a report path.
    public static func path(for reportPath: String) -> String { reportPath + ".manifest.json" }

    /// The exact bytes that are signed: the manifest without `signature`, as canonical JSON.
    /// - Throws: ``ReportError/encodingFailed(what:detail:)``; never signs or checks anything else.
    public func signedBytes() throws(ReportError) -> Data {
        var unsigned = self
        unsigned.signature = nil
        return try ReportManifest.canonicalJSON(of: unsigned, what: "the manifest of \(file)")
    }

    /// Whether `data`, the manifest file this was decoded from, says exactly this: no member this type does not
    /// know, and no repeated name whose values differ (the file's object read as jq reads it, each name's last
    /// value, has the same canonical form as this manifest).
    public func matches(_ data: Data) -> Bool {
        guard let file = try? JSONValue(data: data), file.objectValue != nil,
            let own = try? ReportManifest.canonicalJSON(of: self, what: "the manifest of \(self.file)")
        else { return false }
        return Data(file.canonicalJSON.utf8) == own
    }

    /// Pretty JSON for the sidecar file, ending in a newline.
    /// - Throws: ``ReportError/encodingFailed(what:detail:)``.
    public func jsonData() throws(ReportError) -> Data {
        do {
            return try JSONEncoder.pretty().encode(self) + Data("\n".utf8)
        } catch {
            throw .encodingFailed(what: "the manifest of \(file)", detail: "\(error)")
        }
    }

    /// `value` as canonical JSON (sorted keys, no insignificant whitespace).
    /// - Throws: ``ReportError/encodingFailed(what:detail:)`` naming `what`.
    static func canonicalJSON(of value: some Encodable, what: String) throws(ReportError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Data(try JSONValue(data: try encoder.encode(value)).canonicalJSON.utf8)
        } catch {
            throw .encodingFailed(what: what, detail: "\(error)")
        }
    }

    /// Streams a file through SHA-256.
    /// - Throws: ``ReportError/cannotRead(path:detail:)`` when it cannot be opened;
    ///   ``ReportError/readFailed(path:bytesRead:detail:)`` when reading fails part way.
    public static func sha256(ofFile path: String) throws(ReportError) -> (hex: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .cannotRead(path: path, detail: "the file is missing or not readable")
        }
        // Only read from: closing cannot lose data, and the digest is already decided.
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw .readFailed(path: path, bytesRead: total, detail: error.localizedDescription)
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(data: chunk)
            total += Int64(chunk.count)
        }
        return (hasher.finalize().hexString, total)
    }
}
