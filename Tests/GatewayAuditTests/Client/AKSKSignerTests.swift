import Foundation
import GatewayAudit
import Testing

@Suite("AK/SK signing (SDK-HMAC-SHA256)")
struct AKSKSignerTests {
    private func instant(_ sdkDate: String) throws -> Instant {
        try #require(AKSKSigner.instant(sdkDate: sdkDate))
    }

    @Test("API.md vector 1: GET with query, content-type and host signed")
    func vectorOne() throws {
        let signer = AKSKSigner(
            accessKey: "QTWAOYTTINDUT2QVKYUC", secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc")
        let url = try #require(
            URL(
                string: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
                    + "?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"))
        let result = signer.sign(
            method: "GET", url: url, headers: ["Content-Type": "application/json"], body: Data(),
            date: try instant("20191115T033655Z"))
        #expect(result.sdkDate == "20191115T033655Z")
        #expect(result.canonicalRequest.signedHeaders == "content-type;host;x-sdk-date")
        #expect(result.canonicalRequest.canonicalURI == "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/")
        #expect(result.canonicalRequest.hash == "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a")
        #expect(result.signature == "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe")
        #expect(
            result.headers["Authorization"]
                == "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
                + "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe")
        #expect(result.headers["Host"] == "service.region.example.com")
    }

    @Test("API.md vector 2: only x-sdk-date signed")
    func vectorTwo() throws {
        let signer = AKSKSigner(accessKey: "AccessKey", secretKey: "SecretKey")
        let url = try #require(URL(string: "https://example.huaweicloud.com/path?limit=1"))
        let result = signer.sign(method: "GET", url: url, date: try instant("20060102T150405Z"), signHost: false)
        #expect(result.canonicalRequest.signedHeaders == "x-sdk-date")
        #expect(result.signature == "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624")
        #expect(result.headers["Host"] == nil)
    }

    @Test("a verifier recomputing from the received parts gets the same signature")
    func verifierAgreesWithSigner() throws {
        let signer = AKSKSigner(accessKey: "AK", secretKey: "SK", securityToken: "tok")
        let url = try #require(
            URL(string: "http://127.0.0.1:8080/v5/p1/customer-gateways?marker=2025-04-17T07%3A11%3A55.045Z&limit=2"))
        let body = Data(#"{"a":1}"#.utf8)
        let signed = signer.sign(
            method: "post", url: url, headers: ["Content-Type": "application/json"], body: body,
            date: try instant("20250101T000000Z"))
        #expect(signed.headers["Host"] == "127.0.0.1:8080")
        #expect(signed.headers["X-Security-Token"] == "tok")
        let header = try #require(signed.headers["Authorization"])
        let authorization = try #require(AKSKAuthorization(headerValue: header))
        var received = signed.headers
        received["content-type"] = "application/json"
        let canonical = AKSKCanonicalRequest(
            method: "POST", path: "/v5/p1/customer-gateways", query: "marker=2025-04-17T07%3A11%3A55.045Z&limit=2",
            headers: received, signedHeaders: authorization.signedHeaders, body: body)
        #expect(canonical.canonicalQuery == "limit=2&marker=2025-04-17T07%3A11%3A55.045Z")
        #expect(signer.signature(of: canonical, sdkDate: signed.sdkDate) == authorization.signature)
    }

    @Test("percent-encoding keeps only the unreserved set and uses upper-case hex")
    func percentEncoding() {
        #expect(PercentEncoding.encode("a b:c/~_-.é") == "a%20b%3Ac%2F~_-.%C3%A9")
        #expect(AKSKCanonicalRequest.canonicalURI("/v5/a%3ab/x") == "/v5/a%3Ab/x/")
        #expect(AKSKCanonicalRequest.canonicalQuery("b=2&a=x+y&a=1") == "a=1&a=x%20y&b=2")
        #expect(AKSKCanonicalRequest.canonicalQuery(nil) == "")
    }

    @Test("the secret key never appears in descriptions")
    func secretIsRedacted() {
        let signer = AKSKSigner(accessKey: "AK123", secretKey: "TOP-SECRET-VALUE")
        #expect(!"\(signer)".contains("TOP-SECRET"))
        #expect(!String(reflecting: signer).contains("TOP-SECRET"))
    }

    @Test("X-Sdk-Date round-trips and rejects other shapes")
    func sdkDate() throws {
        let instant = try instant("20191115T033655Z")
        #expect(AKSKSigner.sdkDate(instant) == "20191115T033655Z")
        #expect(AKSKSigner.instant(sdkDate: "2019-11-15T03:36:55Z") == nil)
        #expect(AKSKSigner.instant(sdkDate: "20191315T033655Z") == nil)
    }
}
