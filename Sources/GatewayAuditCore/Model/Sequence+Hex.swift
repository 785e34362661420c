extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits per byte: how digests and keys are written everywhere
    /// (exports, manifests, hash chains, request signing).
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
