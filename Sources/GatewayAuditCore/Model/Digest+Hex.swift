import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// The bytes as lower-case hexadecimal, two digits each (digests in the database, manifests, logs).
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
