import Foundation

extension JSONEncoder {
    /// An encoder for JSON that people read, diff and commit: pretty-printed, keys sorted, `/` not
    /// escaped. Every such file (manifests, `--format json` listings, scenarios) uses it.
    public static func pretty() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
