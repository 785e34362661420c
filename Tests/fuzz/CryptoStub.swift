// A stand-in for swift-crypto's `SHA256`, so the fuzz target compiles the model and time sources
// directly with `swiftc -sanitize=fuzzer` without building swift-crypto instrumented. The digest is a
// cheap non-cryptographic mix: the fuzz target checks decoding and canonical JSON, not hashing.
import Foundation

public enum SHA256 {
    public static func hash<D: DataProtocol>(data: D) -> [UInt8] {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return (0..<32).map { UInt8(truncatingIfNeeded: state >> (UInt64($0 % 8) * 8)) }
    }
}

/// swift-crypto's `Digest`, as far as the model's sources use it (`hexString` writes a digest's bytes in
/// place); the stub's `hash` returns plain bytes, so nothing here conforms.
public protocol Digest: Sequence where Element == UInt8 {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}
