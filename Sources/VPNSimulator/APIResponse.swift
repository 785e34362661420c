import GatewayAuditCore

/// A response the engine produced: status, headers and exact body bytes.
public struct APIResponse: Sendable, Hashable {
    /// HTTP status code.
    public var status: Int
    /// Header names and values, in order.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response (compact, sorted keys) with `X-Request-Id`.
    static func json(_ status: Int, _ value: JSONValue, requestID: String, extraHeaders: [(String, String)] = [])
        -> APIResponse
    {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json;charset=UTF-8"), ("X-Request-Id", requestID),
        ]
        headers += extraHeaders.map { (name: $0.0, value: $0.1) }
        return APIResponse(status: status, headers: headers, body: Array(value.canonicalJSON.utf8))
    }

    /// An error in the API's first shape: `{"error_code", "error_msg", "request_id"}`.
    static func error(
        _ status: Int, code: String, message: String, requestID: String,
        extraHeaders: [(String, String)] = []
    ) -> APIResponse {
        json(
            status,
            .object(["error_code": .string(code), "error_msg": .string(message), "request_id": .string(requestID)]),
            requestID: requestID, extraHeaders: extraHeaders)
    }

    /// An IAM error, nested one level: `{"error": {"code", "message", "title"}}`.
    static func iamError(_ status: Int, title: String, message: String, requestID: String) -> APIResponse {
        json(
            status,
            .object([
                "error": .object([
                    "code": .integer(Int64(status)), "title": .string(title), "message": .string(message),
                ])
            ]),
            requestID: requestID)
    }

    /// The value of a header, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Equal when status, headers (in order) and body are equal.
    public static func == (lhs: APIResponse, rhs: APIResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { [$0.name, $0.value] } == rhs.headers.map { [$0.name, $0.value] }
    }

    /// Hashes status, headers and body.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(body)
        for header in headers {
            hasher.combine(header.name)
            hasher.combine(header.value)
        }
    }
}
