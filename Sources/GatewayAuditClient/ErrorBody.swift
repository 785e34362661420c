import Foundation
import GatewayAuditCore

/// The code and message of an error body, whichever of the API's shapes it has:
/// `{"error_code","error_msg"}`, `{"code","message"}`, gateway `APIGW.xxxx`, or any of them nested
/// one level deeper (`{"error": {...}}`).
struct ErrorBody: Sendable, Hashable {
    let code: String?
    let message: String?
    let requestID: String?

    init(data: Data) {
        guard let json = try? JSONValue(data: data) else {
            code = nil
            let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            message = text.isEmpty ? nil : text
            requestID = nil
            return
        }
        var found = ErrorBody.read(json)
        if found.code == nil && found.message == nil, let members = json.objectValue {
            for value in members.values {
                let nested = ErrorBody.read(value)
                if nested.code != nil || nested.message != nil {
                    found = (nested.code, nested.message, found.requestID ?? nested.requestID)
                    break
                }
            }
        }
        (code, message, requestID) = found
    }

    private static func read(_ json: JSONValue) -> (code: String?, message: String?, requestID: String?) {
        let code = json["error_code"]?.scalarText ?? json["code"]?.scalarText
        let message = json["error_msg"]?.scalarText ?? json["message"]?.scalarText ?? json["error_message"]?.scalarText
        return (code, message, json["request_id"]?.stringValue)
    }
}
