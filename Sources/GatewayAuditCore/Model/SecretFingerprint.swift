import Crypto
import Foundation

/// Members that may carry a secret (a connection's pre-shared key is write-only, but a response that
/// ever carries one must not put it in the history): their values are replaced by a SHA-256
/// fingerprint, so a change stays visible while the secret is never stored or exported.
public enum SecretFingerprint {
    /// Lower-case name fragments that mark a member as secret.
    public static let markers = ["psk", "password", "secret"]

    /// Whether a member name marks a secret.
    /// (Every member name of every response passes here: ASCII names, nearly all, are matched byte by
    /// byte; others keep Unicode lower-casing, where `K`, the Kelvin sign, lower-cases to `k`.)
    public static func isSecret(_ name: String) -> Bool {
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else {
            let lower = name.lowercased()
            return markers.contains { lower.contains($0) }
        }
        // Compared in place, upper case folded byte by byte: no lower-cased copy of every name.
        let found = name.utf8.withContiguousStorageIfAvailable { containsMarker(foldingCaseIn: $0) }
        return found ?? containsMarker(foldingCaseIn: Array(name.utf8))
    }

    /// Whether any marker occurs in the ASCII `bytes` with upper-case letters folded: one pass over the
    /// name, a marker compared only where a byte starts one.
    private static func containsMarker(foldingCaseIn bytes: some RandomAccessCollection<UInt8>) -> Bool {
        let folded = { (byte: UInt8) in (65...90).contains(byte) ? byte + 32 : byte }
        let (starts, markers) = (markerStarts, markerBytes)
        var start = bytes.startIndex
        while start != bytes.endIndex {
            let first = folded(bytes[start])
            if starts.contains(first) {
                for marker in markers where marker[0] == first {
                    var position = start
                    var matched = true
                    for expected in marker {
                        guard position != bytes.endIndex, folded(bytes[position]) == expected else {
                            matched = false
                            break
                        }
                        position = bytes.index(after: position)
                    }
                    if matched { return true }
                }
            }
            start = bytes.index(after: start)
        }
        return false
    }

    private static let markerBytes = markers.map { Array($0.utf8) }
    /// The markers' first bytes (a couple: compared one by one).
    private static let markerStarts = Array(Set(markerBytes.map { $0[0] }))

    /// The fingerprint of a secret value: `sha256:` and the hex digest of a string's UTF-8 bytes (of the
    /// canonical JSON for any other value).
    public static func fingerprint(of value: JSONValue) -> JSONValue {
        let bytes = value.stringValue.map { Data($0.utf8) } ?? Data(value.canonicalJSON.utf8)
        return .string("sha256:" + SHA256.hexDigest(of: bytes))
    }

    /// Whether `value` is already a fingerprint (`sha256:` and 64 lower-case hex digits): it is kept as
    /// it is, so content read back from the history fingerprints to itself.
    public static func isFingerprint(_ value: JSONValue) -> Bool {
        guard let text = value.stringValue, text.hasPrefix("sha256:") else { return false }
        let digits = text.utf8.dropFirst(7)
        return digits.count == 64 && digits.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// `value` with every secret member, at any depth, replaced by its fingerprint (null and values
    /// already fingerprinted stay as they are).
    public static func redacting(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            result.reserveCapacity(members.count)
            for (key, member) in members {
                if isSecret(key), member != .null, !isFingerprint(member) {
                    result[key] = fingerprint(of: member)
                } else {
                    result[key] = redacting(member)
                }
            }
            return .object(result)
        case .array(let items):
            return .array(items.map(redacting))
        default:
            return value
        }
    }

    /// Whether `value` holds a secret member anywhere (cheap check before copying).
    public static func containsSecret(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members):
            members.contains { key, member in
                (isSecret(key) && member != .null && !isFingerprint(member)) || containsSecret(member)
            }
        case .array(let items):
            items.contains(where: containsSecret)
        default:
            false
        }
    }
}
