import Crypto

extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits per byte: how digests and keys are written everywhere
    /// (exports, manifests, hash chains, request signing).
    public var hexString: String {
        // Contiguous bytes (an array's, `Data`'s) go straight into the string's storage, with no table or
        // buffer allocated; digests have their own overload below.
        if let text = withContiguousStorageIfAvailable({ Hex.string(of: UnsafeRawBufferPointer($0)) }) {
            return text
        }
        return Hex.string(of: Array(self))
    }
}

extension Digest {
    /// Lower-case hexadecimal of the digest, written from its bytes in place.
    public var hexString: String { withUnsafeBytes { Hex.string(of: $0) } }
}

/// Lower-case hexadecimal digits.
enum Hex {
    static func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }

    static func string(of bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            for (index, byte) in bytes.enumerated() {
                text[2 * index] = digit(byte >> 4)
                text[2 * index + 1] = digit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }

    static func string(of bytes: [UInt8]) -> String { bytes.withUnsafeBytes { string(of: $0) } }
}
