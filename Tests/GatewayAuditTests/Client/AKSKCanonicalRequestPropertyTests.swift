import Foundation
import PropertyBased
import Testing

@testable import GatewayAudit
@testable import GatewayAuditAnalyse
@testable import GatewayAuditClient
@testable import GatewayAuditCore
@testable import GatewayAuditReport
@testable import GatewayAuditStore

@Suite("AK/SK canonicaliser: properties over generated paths and queries")
struct AKSKCanonicalRequestPropertyTests {
    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)

    @Test("percent-encoding round-trips any string and leaves only unreserved bytes and %XX with upper-case hex")
    func percentEncoding() async {
        await propertyCheck(count: 1000, input: Gen.bytes(0...64)) { bytes in
            var choices = ByteChoices(bytes)
            let text = choices.string(maxLength: 24)
            let encoded = PercentEncoding.encode(text)
            #expect(PercentEncoding.decode(encoded) == text, "\(text.debugDescription) → \(encoded)")
            #expect(PercentEncoding.encode(PercentEncoding.decode(encoded)) == encoded)
            let utf8 = Array(encoded.utf8)
            var index = 0
            while index < utf8.count {
                if utf8[index] == UInt8(ascii: "%") {
                    let hex = utf8.dropFirst(index + 1).prefix(2)
                    #expect(
                        hex.count == 2 && hex.allSatisfy { Set("0123456789ABCDEF".utf8).contains($0) }, "\(encoded)")
                    index += 3
                } else {
                    #expect(Self.unreserved.contains(utf8[index]), "\(encoded)")
                    index += 1
                }
            }
        }
    }

    @Test("the canonical query and the signature do not depend on parameter order or + versus %20")
    func queryOrder() async throws {
        let signer = AKSKSigner(accessKey: "PROPERTYAK", secretKey: "property-secret")
        let date = try #require(AKSKSigner.instant(sdkDate: "20250301T020000Z"))
        await propertyCheck(count: 300, input: Gen.bytes(1...160), Gen.bytes(1...32)) { bytes, orderBytes in
            var choices = ByteChoices(bytes)
            var pairs: [(String, String)] = []
            repeat {
                pairs.append((choices.string(maxLength: 6), choices.string(maxLength: 8)))
            } while !choices.exhausted && pairs.count < 8
            var order = ByteChoices(orderBytes)
            var remaining = pairs
            var shuffled: [(String, String)] = []
            while !remaining.isEmpty { shuffled.append(remaining.remove(at: order.below(remaining.count))) }
            func query(_ list: [(String, String)], plus: Bool) -> String {
                list.map { key, value in
                    let encode = { (text: String) -> String in
                        let encoded = PercentEncoding.encode(text)
                        return plus ? encoded.replacingOccurrences(of: "%20", with: "+") : encoded
                    }
                    return encode(key) + "=" + encode(value)
                }.joined(separator: "&")
            }
            let a = query(pairs, plus: false)
            let b = query(shuffled, plus: true)
            #expect(AKSKCanonicalRequest.canonicalQuery(a) == AKSKCanonicalRequest.canonicalQuery(b), "\(a)\n\(b)")
            guard let urlA = URL(string: "https://vpn.example.com/v5/p/customer-gateways?" + a),
                let urlB = URL(string: "https://vpn.example.com/v5/p/customer-gateways?" + b)
            else {
                Issue.record("not a URL: \(a) / \(b)")
                return
            }
            let signedA = signer.sign(method: "GET", url: urlA, date: date)
            let signedB = signer.sign(method: "GET", url: urlB, date: date)
            #expect(signedA.signature == signedB.signature, "\(a)\n\(b)")
        }
    }

    @Test("a path of encoded segments canonicalises to itself plus a trailing slash, whatever its characters")
    func canonicalPath() async {
        await propertyCheck(count: 500, input: Gen.bytes(0...96)) { bytes in
            var choices = ByteChoices(bytes)
            var segments: [String] = []
            repeat { segments.append(choices.string(maxLength: 8)) } while !choices.exhausted && segments.count < 6
            let path = "/" + segments.map(PercentEncoding.encode).joined(separator: "/")
            let canonical = AKSKCanonicalRequest.canonicalURI(path)
            #expect(canonical == (path.hasSuffix("/") ? path : path + "/"), "\(path)")
            #expect(AKSKCanonicalRequest.canonicalURI(canonical) == canonical)
        }
    }
}
