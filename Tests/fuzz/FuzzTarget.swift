// libFuzzer entry point for the gateway decoder and the timestamp parser (Tests/torture/fuzz.sh).
// Any crash, or a property below that does not hold, stops the fuzzer with the input that caused it.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Data(bytes: start, count: count)
    fuzzTimestamp(String(decoding: bytes, as: UTF8.self))
    fuzzGateway(bytes)
    return 0
}

/// A parsed timestamp renders to UTC text that parses back to the same instant; a rejection is a
/// `TimestampError` (typed throws make any other error impossible to compile).
func fuzzTimestamp(_ text: String) {
    let parsed: Timestamp
    do {
        parsed = try Timestamp(parsing: text)
    } catch {
        _ = error.description
        return
    }
    guard let again = try? Timestamp(parsing: parsed.utcText) else {
        preconditionFailure("utcText of \(text.debugDescription) does not parse: \(parsed.utcText)")
    }
    precondition(again.instant == parsed.instant, "round trip moved \(text.debugDescription)")
    _ = parsed.text(in: .utc)
    _ = parsed.offsetDesignator
}

/// Whatever the bytes, decoding either succeeds or throws a `ModelError`; a decoded gateway's
/// canonical JSON decodes again to the same canonical JSON.
func fuzzGateway(_ data: Data) {
    if let value = try? JSONValue(data: data) {
        let canonical = value.canonicalJSON
        guard let again = try? JSONValue(data: Data(canonical.utf8)) else {
            preconditionFailure("canonical JSON does not parse: \(canonical)")
        }
        precondition(again.canonicalJSON == canonical, "canonical JSON is not stable: \(canonical)")
    }
    do {
        let gateway = try CustomerGateway(data: data)
        _ = gateway.contentSHA256
    } catch {
        _ = error.description
    }
    do {
        let response = try CustomerGatewayResponse(data: data)
        _ = response.gateway.canonicalJSON
    } catch {
        _ = error.description
    }
    do {
        let page = try CustomerGatewayPage(data: data)
        for gateway in page.gateways { _ = gateway.canonicalJSON }
    } catch {
        _ = error.description
    }
}
