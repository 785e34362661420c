import Crypto
import Foundation

extension SHA256 {
    /// Lower-case hex digest of `data`.
    static func hexDigest(of data: Data) -> String {
        SHA256.hash(data: data).hexString
    }
}
