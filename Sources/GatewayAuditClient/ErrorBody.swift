import Foundation
import GatewayAuditCore

/// The code and message of an error body, whichever of the API's shapes it has:
/// `{"error_code","error_msg"}`, `{"code","message"}`, gateway `APIGW.xxxx`, the official SDK's camelCase
/// `{"errorCode","errorMsg"}`, or any of them nested deeper (`{"error": {...}}`, `{"a": {"b": {...}}}`).
///
/// The body itself is read first, then the objects inside it breadth first, down to ``maximumDepth``: the
/// first with a code gives it and its message (else the first message met on the way); without any code,
/// the first message (at one depth, members in key order, so the same body always gives the same answer).
/// The request id is the body's own `request_id`, else the one beside the code that was found.
struct ErrorBody: Sendable, Hashable {
    let code: String?
    let message: String?
    let requestID: String?

    /// What one object of the body says.
    private typealias Found = (code: String?, message: String?, requestID: String?)

    /// How deep the code and message are looked for: 0 is the body, 1 `{"error": {...}}`, and so on.
    static let maximumDepth = 4
    /// The most values the walk reads, so a large body costs little.
    static let maximumValues = 256

    init(data: Data) {
        guard let json = try? JSONValue(data: data) else {
            code = nil
            let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            message = text.isEmpty ? nil : text
            requestID = nil
            return
        }
        let own = json["request_id"]?.stringValue
        guard let found = ErrorBody.first(in: json) else {
            code = nil
            message = nil
            requestID = own
            return
        }
        code = found.code
        message = found.message
        requestID = own ?? found.requestID
    }

    /// The first object, breadth first from `root`, that has a code (with its message, else the first
    /// message met before it: `{"message": "...", "error": {"code": "VPN.0004"}}` is a not-found), else the
    /// first that has a message; nil when none down to ``maximumDepth`` has either.
    private static func first(in root: JSONValue) -> Found? {
        var level: [JSONValue] = [root]
        var visited = 0
        var messageOnly: Found?
        for _ in 0...maximumDepth {
            var next: [JSONValue] = []
            for value in level {
                visited += 1
                guard visited <= maximumValues else { return messageOnly }
                switch value {
                case .object(let members):
                    let found = ErrorBody.read(members)
                    if let code = found.code {
                        return (code, found.message ?? messageOnly?.message, found.requestID ?? messageOnly?.requestID)
                    }
                    if found.message != nil, messageOnly == nil { messageOnly = found }
                    next += members.sorted { $0.key < $1.key }.map { $0.value }
                case .array(let elements):
                    next += elements
                default:
                    break
                }
            }
            guard !next.isEmpty else { return messageOnly }
            level = next
        }
        return messageOnly
    }

    /// The code and message of one object, in the official SDK's order: `error_code`/`error_msg`, then
    /// `errorCode`/`errorMsg`, then `code`/`message` (and `error_message`). Only a string, number or
    /// Boolean counts: an object under `code` is looked into instead.
    private static func read(_ members: [String: JSONValue]) -> Found {
        let code = scalar(members["error_code"]) ?? scalar(members["errorCode"]) ?? scalar(members["code"])
        let message =
            scalar(members["error_msg"]) ?? scalar(members["errorMsg"]) ?? scalar(members["message"])
            ?? scalar(members["error_message"])
        return (code, message, members["request_id"]?.stringValue)
    }

    /// The text of a string, number or Boolean; nil for null, an array, an object or nothing.
    private static func scalar(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        switch value {
        case .null, .array, .object: return nil
        default: return value.scalarText
        }
    }
}
