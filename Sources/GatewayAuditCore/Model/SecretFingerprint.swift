import Crypto
import Foundation

/// Members that may carry a secret (a connection's pre-shared key is write-only, but a response that
/// ever carries one must not put it in the history): their values are replaced by a SHA-256
/// fingerprint, so a change stays visible while the secret is never stored or exported.
public enum SecretFingerprint {
    /// Lower-case name fragments that mark a member as secret.
    public static let markers = ["psk", "password", "secret"]

    /// Whether a member name marks a secret.
    public static func isSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        return markers.contains { lower.contains($0) }
    }

    /// The fingerprint of a secret value: `sha256:` and the hex digest of a string's UTF-8 bytes (of the
    /// canonical JSON for any other value).
    public static func fingerprint(of value: JSONValue) -> JSONValue {
        let bytes = value.stringValue.map { Data($0.utf8) } ?? Data(value.canonicalJSON.utf8)
        return .string("sha256:" + SHA256.hexDigest(of: bytes))
    }

    /// `value` with every secret member, at any depth, replaced by its fingerprint (null stays null).
    public static func redacting(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            result.reserveCapacity(members.count)
            for (key, member) in members {
                if isSecret(key), member != .null {
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
            members.contains { key, member in (isSecret(key) && member != .null) || containsSecret(member) }
        case .array(let items):
            items.contains(where: containsSecret)
        default:
            false
        }
    }
}
